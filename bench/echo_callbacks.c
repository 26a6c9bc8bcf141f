/* The echo server written directly with libuv's callbacks: the baseline that
 * bench/echo.py measures the hub's echo server (examples/hub) against.
 * `bench_echo_callbacks` listens on 127.0.0.1, any free port, prints
 * "listening on 127.0.0.1:PORT" and serves until it is killed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

typedef struct pending_write {
    uv_write_t req;
    char data[];
} pending_write_t;

static uv_loop_t *loop;

static void on_alloc(uv_handle_t *handle, size_t size, uv_buf_t *buf)
{
    static char scratch[65536]; /* one loop, one read at a time: the data is copied before the next */
    *buf = uv_buf_init(scratch, sizeof scratch);
}

static void on_closed(uv_handle_t *handle) { free(handle); }

static void on_written(uv_write_t *req, int status) { free(req); }

static void on_read(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    if (n < 0) {
        uv_close((uv_handle_t *)stream, on_closed);
        return;
    }
    if (n == 0)
        return;
    uv_buf_t out = uv_buf_init(buf->base, (unsigned)n);
    int sent = uv_try_write(stream, &out, 1); /* as the hub does: most writes complete here */
    if (sent == n)
        return;
    if (sent < 0 && sent != UV_EAGAIN) {
        uv_close((uv_handle_t *)stream, on_closed);
        return;
    }
    if (sent < 0)
        sent = 0;
    pending_write_t *w = malloc(sizeof *w + (size_t)(n - sent));
    if (w == NULL) {
        uv_close((uv_handle_t *)stream, on_closed);
        return;
    }
    memcpy(w->data, buf->base + sent, (size_t)(n - sent));
    out = uv_buf_init(w->data, (unsigned)(n - sent));
    uv_write(&w->req, stream, &out, 1, on_written);
}

static void on_connection(uv_stream_t *server, int status)
{
    if (status < 0)
        return;
    uv_tcp_t *client = malloc(sizeof *client);
    if (client == NULL)
        return;
    uv_tcp_init(loop, client);
    if (uv_accept(server, (uv_stream_t *)client) == 0)
        uv_read_start((uv_stream_t *)client, on_alloc, on_read);
    else
        uv_close((uv_handle_t *)client, on_closed);
}

int main(void)
{
    uv_tcp_t server;
    struct sockaddr_in addr;
    int len = sizeof addr;
    loop = uv_default_loop();
    uv_ip4_addr("127.0.0.1", 0, &addr);
    uv_tcp_init(loop, &server);
    if (uv_tcp_bind(&server, (const struct sockaddr *)&addr, 0) != 0 ||
        uv_listen((uv_stream_t *)&server, 4096, on_connection) != 0) {
        fprintf(stderr, "bench_echo_callbacks: cannot listen\n");
        return 1;
    }
    uv_tcp_getsockname(&server, (struct sockaddr *)&addr, &len);
    printf("listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
    fflush(stdout);
    return uv_run(loop, UV_RUN_DEFAULT);
}

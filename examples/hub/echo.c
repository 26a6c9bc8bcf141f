/* The echo server's tasks and the checking client, written in blocking style. */
#include "echo.h"

#include <stdlib.h>
#include <string.h>

typedef struct echo_connection {
    echo_server_t *server;
    hub_conn_t *conn;
} echo_connection_t;

static void *serve_connection(void *arg)
{
    echo_connection_t job = *(echo_connection_t *)arg;
    echo_server_t *s = job.server;
    char buf[8192];
    free(arg);
    for (;;) {
        ssize_t n = hub_read(job.conn, buf, sizeof buf);
        if (n < 0 || hub_write(job.conn, buf, (size_t)n) < 0)
            break;
        s->bytes_echoed += (uint64_t)n;
    }
    int code = greenlet_error(NULL);
    if (code == HUB_CODE(UV_EOF))
        s->ended_eof++;
    else if (code == HUB_CODE(UV_ETIMEDOUT))
        s->ended_timeout++;
    else if (code == GREENLET_EXIT)
        s->ended_killed++;
    else
        s->ended_error++;
    if (code != GREENLET_EXIT)
        greenlet_clear_error(); /* handled: the connection is over */
    hub_close(job.conn);
    s->active--;
    return NULL;
}

static void *accept_connections(void *arg)
{
    echo_server_t *s = arg;
    for (;;) {
        hub_conn_t *conn = hub_accept(s->listener);
        if (conn == NULL)
            break;
        echo_connection_t *job = malloc(sizeof *job);
        if (job == NULL) {
            hub_close(conn);
            continue;
        }
        *job = (echo_connection_t){s, conn};
        hub_set_timeout(conn, s->idle_timeout_ms);
        s->accepted++;
        s->active++;
        if (hub_spawn(serve_connection, job) == NULL) {
            greenlet_clear_error();
            free(job);
            hub_close(conn);
            s->active--;
        }
    }
    hub_server_close(s->listener); /* killed (echo_server_stop) or failed */
    s->listener = NULL;
    return NULL;
}

int echo_server_start(echo_server_t *s, const char *ip, int port)
{
    s->listener = hub_listen(ip, port, 4096);
    if (s->listener == NULL)
        return -1;
    s->port = hub_server_port(s->listener);
    s->acceptor = greenlet_ref(hub_spawn(accept_connections, s));
    if (s->acceptor == NULL) {
        hub_server_close(s->listener);
        s->listener = NULL;
        return -1;
    }
    return 0;
}

void echo_server_stop(echo_server_t *s)
{
    greenlet_kill(s->acceptor);
    greenlet_unref(s->acceptor);
    s->acceptor = NULL;
}

/* A small PRNG (xorshift32): the same seed gives the same messages. */
static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state ? *state : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

size_t echo_message_size(uint32_t seed, int i)
{
    uint32_t state = seed * 2654435761u + (uint32_t)i * 40503u + 1;
    uint32_t r = next_random(&state), kind = r % 10;
    r = next_random(&state);
    if (kind < 7)
        return 1 + r % 256;
    if (kind < 9)
        return 257 + r % 3840;
    return 4097 + r % 12288;
}

static void fill_message(unsigned char *buf, size_t len, uint32_t seed, int i)
{
    uint32_t state = seed ^ ((uint32_t)i * 2246822519u);
    for (size_t j = 0; j < len; j++)
        buf[j] = (unsigned char)(next_random(&state) >> 24);
}

static int exchange(echo_client_t *c, hub_conn_t *conn, int i)
{
    size_t len = echo_message_size(c->seed, i);
    unsigned char *sent = malloc(len), *got = malloc(len);
    int rc = -1;
    if (sent == NULL || got == NULL) {
        greenlet_raise(GREENLET_ENOMEM, NULL);
    } else {
        fill_message(sent, len, c->seed, i);
        if (hub_write(conn, sent, len) == 0 && hub_read_exactly(conn, got, len) == 0) {
            if (memcmp(sent, got, len) == 0) {
                rc = 0;
                c->bytes += len;
            } else {
                greenlet_raise(1, "echoed bytes differ from the bytes sent");
            }
        }
    }
    free(sent);
    free(got);
    return rc;
}

void *echo_client_run(void *arg)
{
    echo_client_t *c = arg;
    hub_conn_t *conn = hub_connect(c->ip, c->port);
    if (conn != NULL) {
        hub_set_timeout(conn, c->timeout_ms);
        while (c->messages_ok < c->messages && exchange(c, conn, c->messages_ok) == 0)
            c->messages_ok++;
        hub_close(conn);
    }
    void *payload = NULL;
    c->error_code = greenlet_error(&payload);
    if (c->error_code > 0)
        c->error_text = payload; /* libuv's message, or ours */
    else if (c->error_code != 0)
        c->error_text = greenlet_strerror(c->error_code);
    if (c->error_code != GREENLET_EXIT)
        greenlet_clear_error();
    c->done = 1;
    return NULL;
}

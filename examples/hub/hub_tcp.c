/* TCP on the hub: listen, accept, connect, read, write, close. Each blocking
 * call registers one libuv request and waits; the request's callback wakes it.
 * A task killed while it waits cancels its request before it returns (a write
 * or connect cannot be cancelled alone: the connection is closed instead). */
#include "hub_internal.h"

#include <stdbool.h>
#include <stdlib.h>

struct hub_conn {
    uv_tcp_t tcp;
    uv_timer_t read_timer, write_timer; /* hub_set_timeout: one per direction */
    uv_write_t write_req;
    uv_connect_t connect_req;
    hub_waiter_t *reader, *writer;      /* tasks blocked on the connection */
    char *read_buf;
    size_t read_len;
    uint64_t timeout_ms;
    int handles_open;                   /* freed when 0 and released */
    bool reading;                       /* libuv's read is started */
    bool closing, released;
};

struct hub_server {
    uv_tcp_t tcp;
    hub_waiter_t *acceptor;
};

/* ---- Life of a connection ----------------------------------------------------- */

static void conn_handle_closed(uv_handle_t *handle)
{
    hub_conn_t *c = handle->data;
    if (--c->handles_open == 0 && c->released)
        free(c);
}

static hub_conn_t *conn_new(void)
{
    hub_conn_t *c = calloc(1, sizeof *c);
    if (c == NULL) {
        greenlet_raise(GREENLET_ENOMEM, NULL);
        return NULL;
    }
    uv_tcp_init(hub_loop(), &c->tcp);
    uv_timer_init(hub_loop(), &c->read_timer);
    uv_timer_init(hub_loop(), &c->write_timer);
    c->tcp.data = c->read_timer.data = c->write_timer.data = c->write_req.data = c->connect_req.data = c;
    c->handles_open = 3;
    return c;
}

/* Closes the handles; a task blocked on the connection gets UV_ECANCELED. A
 * pending write or connect is cancelled by libuv (its callback sees no waiter). */
static void conn_shutdown(hub_conn_t *c, bool reset, bool from_hub)
{
    if (c->closing)
        return;
    c->closing = true;
    hub_waiter_t *waiters[2] = {c->reader, c->writer};
    c->reader = c->writer = NULL;
    uv_read_stop((uv_stream_t *)&c->tcp);
    c->reading = false;
    if (!reset || uv_tcp_close_reset(&c->tcp, conn_handle_closed) != 0)
        uv_close((uv_handle_t *)&c->tcp, conn_handle_closed);
    uv_close((uv_handle_t *)&c->read_timer, conn_handle_closed);
    uv_close((uv_handle_t *)&c->write_timer, conn_handle_closed);
    for (int i = 0; i < 2; i++) {
        if (waiters[i] == NULL || waiters[i]->task == greenlet_current())
            continue;
        if (from_hub)
            hub_wake(waiters[i], UV_ECANCELED);
        else
            hub_wake_later(waiters[i], UV_ECANCELED);
    }
}

static void conn_close(hub_conn_t *c, bool reset)
{
    if (c == NULL)
        return;
    conn_shutdown(c, reset, false); /* hub_close is called from tasks only */
    c->released = true;
    if (c->handles_open == 0)
        free(c);
}

void hub_close(hub_conn_t *c) { conn_close(c, false); }
void hub_close_reset(hub_conn_t *c) { conn_close(c, true); }

void hub_set_timeout(hub_conn_t *c, uint64_t ms) { c->timeout_ms = ms; }

static void arm_timer(hub_conn_t *c, uv_timer_t *timer, uv_timer_cb expired)
{
    if (c->timeout_ms > 0)
        uv_timer_start(timer, expired, c->timeout_ms, 0);
}

/* ---- Reading ----------------------------------------------------------------- */

static void read_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    hub_conn_t *c = handle->data;
    *buf = uv_buf_init(c->read_buf, (unsigned)c->read_len);
}

static void stop_reading(hub_conn_t *c)
{
    uv_read_stop((uv_stream_t *)&c->tcp);
    c->reading = false;
}

/* After data, reading stays started while the task runs: it usually reads
 * again before it blocks, and stopping and restarting libuv's read costs two
 * epoll_ctl calls a message. Errors and timeouts stop it at once. */
static void read_finish(hub_conn_t *c, ssize_t result)
{
    hub_waiter_t *w = c->reader;
    c->reader = NULL;
    uv_timer_stop(&c->read_timer);
    if (result < 0)
        stop_reading(c);
    hub_wake(w, result);
    if (c->reader == NULL && c->reading) /* no new read: no buffer to read into */
        stop_reading(c);
}

static void read_done(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    hub_conn_t *c = stream->data;
    if (nread != 0 && c->reader) /* 0: nothing this time (EAGAIN) */
        read_finish(c, nread);
}

static void read_expired(uv_timer_t *timer)
{
    hub_conn_t *c = timer->data;
    if (c->reader)
        read_finish(c, UV_ETIMEDOUT);
}

ssize_t hub_read(hub_conn_t *c, void *buf, size_t len)
{
    hub_waiter_t w;
    if (hub_check_task("hub_read") < 0)
        return -1;
    if (c->closing)
        return hub_raise_uv(UV_ECANCELED);
    if (c->reader || len == 0)
        return hub_raise_uv(c->reader ? UV_EBUSY : UV_EINVAL);
    c->read_buf = buf;
    c->read_len = len > 0x7fffffff ? 0x7fffffff : len;
    if (!c->reading) {
        int rc = uv_read_start((uv_stream_t *)&c->tcp, read_alloc, read_done);
        if (rc < 0)
            return hub_raise_uv(rc);
        c->reading = true;
    }
    c->reader = &w;
    arm_timer(c, &c->read_timer, read_expired);
    if (hub_wait(&w) < 0) { /* killed: stop reading into a buffer that is going away */
        if (c->reader == &w) {
            c->reader = NULL;
            stop_reading(c);
            uv_timer_stop(&c->read_timer);
        }
        return -1;
    }
    return w.result < 0 ? hub_raise_uv((int)w.result) : w.result;
}

int hub_read_exactly(hub_conn_t *c, void *buf, size_t len)
{
    for (size_t got = 0; got < len;) {
        ssize_t n = hub_read(c, (char *)buf + got, len - got);
        if (n < 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

/* ---- Writing and connecting (both wait as the connection's writer) ----------- */

static void writer_finish(hub_conn_t *c, int status)
{
    hub_waiter_t *w = c->writer;
    uv_timer_stop(&c->write_timer);
    if (w == NULL) /* cancelled: the writer was killed or the connection closed */
        return;
    c->writer = NULL;
    hub_wake(w, status);
}

static void write_done(uv_write_t *req, int status) { writer_finish(req->data, status); }
static void connect_done(uv_connect_t *req, int status) { writer_finish(req->data, status); }

/* A write or connect cannot be taken back: the connection goes. */
static void write_expired(uv_timer_t *timer)
{
    hub_conn_t *c = timer->data;
    hub_waiter_t *w = c->writer;
    if (w == NULL)
        return;
    c->writer = NULL;
    conn_shutdown(c, false, true);
    hub_wake(w, UV_ETIMEDOUT);
}

/* Waits as c's writer; on a kill, closes c (what was pending cannot be cancelled). */
static int wait_as_writer(hub_conn_t *c, hub_waiter_t *w)
{
    arm_timer(c, &c->write_timer, write_expired);
    if (hub_wait(w) < 0) {
        if (c->writer == w) {
            c->writer = NULL;
            conn_shutdown(c, false, false);
        }
        return -1;
    }
    return w->result < 0 ? hub_raise_uv((int)w->result) : 0;
}

int hub_write(hub_conn_t *c, const void *buf, size_t len)
{
    hub_waiter_t w;
    if (hub_check_task("hub_write") < 0)
        return -1;
    if (c->closing)
        return hub_raise_uv(UV_ECANCELED);
    if (c->writer)
        return hub_raise_uv(UV_EBUSY);
    if (len == 0)
        return 0;
    uv_buf_t b = uv_buf_init((char *)buf, (unsigned)len);
    int n = uv_try_write((uv_stream_t *)&c->tcp, &b, 1); /* most writes complete here */
    if (n == (int)len)
        return 0;
    if (n < 0 && n != UV_EAGAIN)
        return hub_raise_uv(n);
    if (n > 0) {
        b.base += n;
        b.len -= (unsigned)n;
    }
    c->writer = &w;
    int rc = uv_write(&c->write_req, (uv_stream_t *)&c->tcp, &b, 1, write_done);
    if (rc < 0) {
        c->writer = NULL;
        return hub_raise_uv(rc);
    }
    return wait_as_writer(c, &w);
}

/* The checks hub_connect and hub_listen share: called from a task, and an
 * IPv4 address libuv can parse. -1 with the error raised. */
static int task_and_address(const char *call, const char *ip, int port, struct sockaddr_in *addr)
{
    if (hub_check_task(call) < 0)
        return -1;
    int rc = uv_ip4_addr(ip, port, addr);
    if (rc < 0) {
        hub_raise_uv(rc);
        return -1;
    }
    return 0;
}

hub_conn_t *hub_connect(const char *ip, int port)
{
    hub_waiter_t w;
    struct sockaddr_in addr;
    if (task_and_address("hub_connect", ip, port, &addr) < 0)
        return NULL;
    hub_conn_t *c = conn_new();
    if (c == NULL)
        return NULL;
    c->writer = &w;
    int rc = uv_tcp_connect(&c->connect_req, &c->tcp, (const struct sockaddr *)&addr, connect_done);
    if (rc < 0) {
        c->writer = NULL;
        hub_close(c);
        hub_raise_uv(rc);
        return NULL;
    }
    if (wait_as_writer(c, &w) < 0) {
        hub_close(c);
        return NULL;
    }
    return c;
}

/* ---- Listening and accepting ------------------------------------------------- */

static void connection_ready(uv_stream_t *stream, int status)
{
    hub_server_t *s = stream->data;
    hub_waiter_t *w = s->acceptor;
    if (w == NULL) /* no one waits: the connection waits in libuv for hub_accept */
        return;
    s->acceptor = NULL;
    hub_wake(w, status);
}

hub_server_t *hub_listen(const char *ip, int port, int backlog)
{
    struct sockaddr_in addr;
    if (task_and_address("hub_listen", ip, port, &addr) < 0)
        return NULL;
    hub_server_t *s = calloc(1, sizeof *s);
    if (s == NULL) {
        greenlet_raise(GREENLET_ENOMEM, NULL);
        return NULL;
    }
    uv_tcp_init(hub_loop(), &s->tcp);
    s->tcp.data = s;
    int rc = uv_tcp_bind(&s->tcp, (const struct sockaddr *)&addr, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&s->tcp, backlog, connection_ready);
    if (rc < 0) {
        hub_server_close(s);
        hub_raise_uv(rc);
        return NULL;
    }
    return s;
}

int hub_server_port(hub_server_t *s)
{
    struct sockaddr_in addr;
    int len = sizeof addr;
    if (uv_tcp_getsockname(&s->tcp, (struct sockaddr *)&addr, &len) != 0)
        return -1;
    return ntohs(addr.sin_port);
}

hub_conn_t *hub_accept(hub_server_t *s)
{
    hub_waiter_t w;
    if (hub_check_task("hub_accept") < 0)
        return NULL;
    if (s->acceptor) {
        hub_raise_uv(UV_EBUSY);
        return NULL;
    }
    hub_conn_t *c = conn_new();
    if (c == NULL)
        return NULL;
    for (;;) {
        int rc = uv_accept((uv_stream_t *)&s->tcp, (uv_stream_t *)&c->tcp);
        if (rc == 0)
            return c;
        if (rc == UV_EAGAIN) { /* nothing yet: wait for libuv to say there is */
            s->acceptor = &w;
            if (hub_wait(&w) < 0) {
                if (s->acceptor == &w)
                    s->acceptor = NULL;
                hub_close(c);
                return NULL;
            }
            rc = (int)w.result;
        }
        if (rc < 0) {
            hub_close(c);
            hub_raise_uv(rc);
            return NULL;
        }
    }
}

static void server_closed(uv_handle_t *handle) { free(handle->data); }

void hub_server_close(hub_server_t *s)
{
    if (s == NULL)
        return;
    if (s->acceptor) /* another task waits in hub_accept */
        hub_wake_later(s->acceptor, UV_ECANCELED);
    s->acceptor = NULL;
    uv_close((uv_handle_t *)&s->tcp, server_closed);
}

/* The hub's calls one by one: what they return, the errors they raise (libuv's
 * code and message), and what a kill does to a task blocked in each of them:
 * the request is cancelled, what the task owned is closed, nothing is left. */
#include "check.h"
#include "hub.h"

static hub_report_t report;

/* Runs body as the hub's first task; the run must end clean. */
static void run_hub(greenlet_run_t body, void *arg)
{
    CHECK_INT(hub_run(body, arg, &report), 0);
    CHECK_INT(report.handles_left, 0);
    CHECK_INT(report.uncaught_errors, 0);
    CHECK_INT(report.tasks_killed, 0);
    CHECK_INT(hub_task_count(), 0);
}

/* ---- Sleeping and yielding ---- */

static char order[16];
static int order_len;

static void *sleeper(void *ms)
{
    CHECK_INT(hub_sleep((uint64_t)(uintptr_t)ms), 0);
    order[order_len++] = (char)('0' + (uintptr_t)ms / 10);
    return NULL;
}

static void *spawn_sleepers(void *arg)
{
    hub_spawn(sleeper, VAL(30));
    hub_spawn(sleeper, VAL(10));
    hub_spawn(sleeper, VAL(20));
    return NULL;
}

TEST(sleepers_wake_in_order_of_their_deadlines)
{
    order_len = 0;
    run_hub(spawn_sleepers, NULL);
    order[order_len] = '\0';
    CHECK_STR(order, "123");
}

static void *yielder(void *name)
{
    for (int i = 0; i < 3; i++) {
        order[order_len++] = *(const char *)name;
        CHECK_INT(hub_yield(), 0);
    }
    return NULL;
}

static void *spawn_yielders(void *arg)
{
    hub_spawn(yielder, "a");
    hub_spawn(yielder, "b");
    return NULL;
}

TEST(yielding_tasks_take_turns)
{
    order_len = 0;
    run_hub(spawn_yielders, NULL);
    order[order_len] = '\0';
    CHECK_STR(order, "ababab");
}

TEST(calls_outside_a_hub_task_fail_with_einval)
{
    CHECK_INT(hub_sleep(1), -1);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_INT(hub_yield(), -1);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK(hub_connect("127.0.0.1", 1) == NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
}

/* ---- Errors from libuv ---- */

/* A free port, found by listening on port 0 and closing. */
static int closed_port(void)
{
    hub_server_t *s = hub_listen("127.0.0.1", 0, 1);
    CHECK(s != NULL);
    int port = hub_server_port(s);
    hub_server_close(s);
    return port;
}

static void *connect_to_closed_port(void *arg)
{
    void *payload = NULL;
    CHECK(hub_connect("127.0.0.1", closed_port()) == NULL);
    CHECK_INT(greenlet_error(&payload), HUB_CODE(UV_ECONNREFUSED));
    CHECK_STR(payload, uv_strerror(UV_ECONNREFUSED));
    greenlet_clear_error();
    CHECK(hub_connect("not an address", 80) == NULL);
    CHECK_AND_CLEAR_ERROR(HUB_CODE(UV_EINVAL));
    CHECK(hub_listen("256.1.1.1", 0, 1) == NULL);
    CHECK_AND_CLEAR_ERROR(HUB_CODE(UV_EINVAL));
    return NULL;
}

TEST(refused_connection_raises_libuv_code_and_message)
{
    run_hub(connect_to_closed_port, NULL);
}

/* A server whose single connection does `action` to the client. */
typedef struct pair {
    hub_server_t *server;
    hub_conn_t *client, *accepted;
} pair_t;

static void open_pair(pair_t *p)
{
    p->server = hub_listen("127.0.0.1", 0, 16);
    CHECK(p->server != NULL);
    p->client = hub_connect("127.0.0.1", hub_server_port(p->server));
    CHECK(p->client != NULL);
    p->accepted = hub_accept(p->server);
    CHECK(p->accepted != NULL);
}

static void *eof_and_busy(void *arg)
{
    pair_t p;
    char buf[8];
    open_pair(&p);
    CHECK_INT(hub_write(p.accepted, "hi", 2), 0);
    CHECK_INT(hub_read(p.client, buf, sizeof buf), 2);
    CHECK(memcmp(buf, "hi", 2) == 0);
    hub_close(p.accepted);
    CHECK_INT(hub_read(p.client, buf, sizeof buf), -1);
    CHECK_AND_CLEAR_ERROR(HUB_CODE(UV_EOF));
    CHECK_INT(hub_read_exactly(p.client, buf, 4), -1);
    CHECK_AND_CLEAR_ERROR(HUB_CODE(UV_EOF));
    CHECK_INT(hub_read(p.client, buf, 0), -1);
    CHECK_AND_CLEAR_ERROR(HUB_CODE(UV_EINVAL));
    hub_close(p.client);
    hub_server_close(p.server);
    return NULL;
}

TEST(end_of_stream_raises_uv_eof)
{
    run_hub(eof_and_busy, NULL);
}

static void *read_times_out(void *arg)
{
    pair_t p;
    char buf[8];
    open_pair(&p);
    hub_set_timeout(p.client, 50);
    uint64_t start = hub_now();
    CHECK_INT(hub_read(p.client, buf, sizeof buf), -1);
    CHECK_AND_CLEAR_ERROR(HUB_CODE(UV_ETIMEDOUT));
    CHECK(hub_now() - start >= 45);
    /* The connection still works after a read timeout. */
    CHECK_INT(hub_write(p.accepted, "x", 1), 0);
    CHECK_INT(hub_read(p.client, buf, sizeof buf), 1);
    hub_close(p.client);
    hub_close(p.accepted);
    hub_server_close(p.server);
    return NULL;
}

TEST(read_timeout_raises_uv_etimedout)
{
    run_hub(read_times_out, NULL);
}

/* Writes until the peer, which never reads, stops taking data. */
static void *write_times_out(void *arg)
{
    pair_t p;
    size_t chunk = 1 << 20;
    char *buf = calloc(1, chunk);
    int rc = 0;
    open_pair(&p);
    hub_set_timeout(p.client, 100);
    for (int i = 0; i < 512 && rc == 0; i++)
        rc = hub_write(p.client, buf, chunk);
    CHECK_INT(rc, -1);
    CHECK_AND_CLEAR_ERROR(HUB_CODE(UV_ETIMEDOUT));
    CHECK_INT(hub_write(p.client, buf, 1), -1); /* a write timeout closes the connection */
    CHECK_AND_CLEAR_ERROR(HUB_CODE(UV_ECANCELED));
    hub_close(p.client);
    hub_close(p.accepted);
    hub_server_close(p.server);
    free(buf);
    return NULL;
}

TEST(write_timeout_raises_uv_etimedout_and_closes)
{
    run_hub(write_times_out, NULL);
}

/* ---- Closing under a blocked task, killing blocked tasks ---- */

typedef struct blocked {
    pair_t pair;
    int step;          /* 1: about to block; 2: returned */
    int code;          /* the error its call returned with */
    int cleaned_up;
} blocked_t;

static void *block_in_read(void *arg)
{
    blocked_t *b = arg;
    char buf[8];
    b->step = 1;
    CHECK_INT(hub_read(b->pair.client, buf, sizeof buf), -1);
    b->code = greenlet_error(NULL);
    b->step = 2;
    if (b->code != GREENLET_EXIT)
        greenlet_clear_error();
    else { /* R14: cleanup runs in the killed task */
        hub_close(b->pair.client);
        b->cleaned_up = 1;
    }
    return NULL;
}

static void *close_under_reader(void *arg)
{
    blocked_t b = {0};
    open_pair(&b.pair);
    hub_spawn(block_in_read, &b);
    hub_sleep(10);
    CHECK_INT(b.step, 1);
    hub_close(b.pair.client);
    hub_sleep(10);
    CHECK_INT(b.step, 2);
    CHECK_INT(b.code, HUB_CODE(UV_ECANCELED));
    hub_close(b.pair.accepted);
    hub_server_close(b.pair.server);
    return NULL;
}

TEST(closing_a_connection_wakes_its_reader_with_ecanceled)
{
    run_hub(close_under_reader, NULL);
}

static void *kill_reader(void *arg)
{
    blocked_t b = {0};
    char c;
    open_pair(&b.pair);
    greenlet_t *reader = greenlet_ref(hub_spawn(block_in_read, &b));
    hub_sleep(10);
    CHECK_INT(b.step, 1);
    CHECK_INT(greenlet_kill(reader), 0);
    CHECK(greenlet_dead(reader));
    CHECK_INT(b.code, GREENLET_EXIT);
    CHECK_INT(b.cleaned_up, 1);
    /* Its connection was closed: the peer reads the end of the stream. */
    CHECK_INT(hub_read(b.pair.accepted, &c, 1), -1);
    CHECK_AND_CLEAR_ERROR(HUB_CODE(UV_EOF));
    greenlet_unref(reader);
    hub_close(b.pair.accepted);
    hub_server_close(b.pair.server);
    return NULL;
}

TEST(killing_a_blocked_reader_cancels_its_read_and_runs_its_cleanup)
{
    run_hub(kill_reader, NULL);
}

static void *block_in_write(void *arg)
{
    blocked_t *b = arg;
    size_t chunk = 1 << 20;
    char *buf = calloc(1, chunk);
    b->step = 1;
    while (hub_write(b->pair.client, buf, chunk) == 0)
        ;
    b->code = greenlet_error(NULL);
    b->step = 2;
    free(buf); /* the buffer the pending write pointed at */
    hub_close(b->pair.client);
    return NULL;
}

static void *kill_writer(void *arg)
{
    blocked_t b = {0};
    open_pair(&b.pair);
    greenlet_t *writer = greenlet_ref(hub_spawn(block_in_write, &b));
    hub_sleep(50); /* it fills the buffers, then waits */
    CHECK_INT(b.step, 1);
    CHECK_INT(greenlet_kill(writer), 0);
    CHECK_INT(b.code, GREENLET_EXIT);
    greenlet_unref(writer);
    hub_close(b.pair.accepted);
    hub_server_close(b.pair.server);
    return NULL;
}

TEST(killing_a_blocked_writer_closes_its_connection)
{
    run_hub(kill_writer, NULL);
}

static void *block_in_accept(void *server)
{
    CHECK(hub_accept(server) == NULL);
    CHECK_INT(greenlet_error(NULL), GREENLET_EXIT);
    hub_server_close(server);
    return NULL;
}

static void *block_in_sleep(void *arg)
{
    CHECK_INT(hub_sleep(60000), -1);
    CHECK_INT(greenlet_error(NULL), GREENLET_EXIT);
    return NULL;
}

static void *kill_acceptor_sleeper_and_unstarted(void *arg)
{
    hub_server_t *server = hub_listen("127.0.0.1", 0, 16);
    greenlet_t *acceptor = greenlet_ref(hub_spawn(block_in_accept, server));
    greenlet_t *sleeping = greenlet_ref(hub_spawn(block_in_sleep, NULL));
    hub_sleep(10);
    greenlet_t *unstarted = greenlet_ref(hub_spawn(block_in_sleep, NULL));
    CHECK_INT(hub_task_count(), 4);
    CHECK_INT(greenlet_kill(acceptor), 0);
    CHECK_INT(greenlet_kill(sleeping), 0);
    CHECK_INT(greenlet_kill(unstarted), 0);
    CHECK(greenlet_dead(acceptor) && greenlet_dead(sleeping) && greenlet_dead(unstarted));
    hub_yield(); /* the hub forgets the unstarted one on its next turn */
    CHECK_INT(hub_task_count(), 1);
    greenlet_unref(acceptor);
    greenlet_unref(sleeping);
    greenlet_unref(unstarted);
    return NULL;
}

TEST(killing_tasks_blocked_in_accept_or_sleep_or_unstarted_leaves_nothing)
{
    run_hub(kill_acceptor_sleeper_and_unstarted, NULL);
}

/* ---- What hub_run reports ---- */

static void *raise_and_return(void *arg)
{
    greenlet_raise(42, NULL);
    return NULL;
}

static void *wait_for_nothing(void *arg)
{
    hub_spawn(raise_and_return, NULL);
    greenlet_switch(greenlet_parent(greenlet_current()), NULL); /* to the hub, with nothing to wake us */
    CHECK_INT(greenlet_error(NULL), GREENLET_EXIT);
    return NULL;
}

TEST(hub_run_reports_uncaught_errors_and_kills_stranded_tasks)
{
    CHECK_INT(hub_run(wait_for_nothing, NULL, &report), 0);
    CHECK_INT(report.uncaught_errors, 1);
    CHECK_INT(report.tasks_killed, 1);
    CHECK_INT(report.handles_left, 0);
}

int main(void)
{
    RUN_TEST(sleepers_wake_in_order_of_their_deadlines);
    RUN_TEST(yielding_tasks_take_turns);
    RUN_TEST(calls_outside_a_hub_task_fail_with_einval);
    RUN_TEST(refused_connection_raises_libuv_code_and_message);
    RUN_TEST(end_of_stream_raises_uv_eof);
    RUN_TEST(read_timeout_raises_uv_etimedout);
    RUN_TEST(write_timeout_raises_uv_etimedout_and_closes);
    RUN_TEST(closing_a_connection_wakes_its_reader_with_ecanceled);
    RUN_TEST(killing_a_blocked_reader_cancels_its_read_and_runs_its_cleanup);
    RUN_TEST(killing_a_blocked_writer_closes_its_connection);
    RUN_TEST(killing_tasks_blocked_in_accept_or_sleep_or_unstarted_leaves_nothing);
    RUN_TEST(hub_run_reports_uncaught_errors_and_kills_stranded_tasks);
    return check_finish();
}

/* The echo server (examples/hub/echo.c) under load on 127.0.0.1: N clients at
 * once (2,000 by default) x M messages of 1 byte to 16 KiB, every byte checked;
 * beside them three bad clients: one that resets mid-message, one that sends
 * nothing (the server's idle timeout closes it), one that floods without
 * reading (the server's write times out and it closes). The server must serve
 * the others, and shut down clean: every task ended, every handle closed.
 * A deadline on the whole run fails the test instead of hanging it.
 *
 *     test_hub_echo [connections] [messages]
 */
#include "check.h"
#include "echo.h"

#include <sys/resource.h>

#define SERVER_IDLE_TIMEOUT_MS 3000
#define CLIENT_TIMEOUT_MS 60000
#define DEADLINE_MS 120000
#define FLOOD_LIMIT (512u << 20) /* the flooder gives up here: the server never stopped it */

static int connections = 2000, messages = 100;

typedef struct bad_client {
    const char *name;
    void *(*run)(void *);
    int done;
    int error_code;     /* how it ended */
    uint64_t bytes;     /* sent (flood) */
    uint64_t elapsed_ms;
} bad_client_t;

typedef struct run_state {
    echo_server_t server;
    echo_client_t *clients;
    bad_client_t bad[3];
    int deadline_hit;
    uint64_t elapsed_ms;
} run_state_t;

static run_state_t run;

static int record_end(bad_client_t *b, uint64_t start)
{
    b->error_code = greenlet_error(NULL);
    greenlet_clear_error();
    b->elapsed_ms = hub_now() - start;
    b->done = 1;
    return 0;
}

/* Sends half a message, reads part of the echo, then resets the connection. */
static void *disconnect_mid_message(void *arg)
{
    bad_client_t *b = arg;
    uint64_t start = hub_now();
    char buf[1000] = {0};
    hub_conn_t *conn = hub_connect("127.0.0.1", run.server.port);
    if (conn) {
        hub_set_timeout(conn, CLIENT_TIMEOUT_MS);
        if (hub_write(conn, buf, sizeof buf) == 0)
            hub_read(conn, buf, 10);
        hub_close_reset(conn);
    }
    record_end(b, start);
    return NULL;
}

/* Connects and waits: the server must close the connection (end of stream). */
static void *idle(void *arg)
{
    bad_client_t *b = arg;
    uint64_t start = hub_now();
    char byte;
    hub_conn_t *conn = hub_connect("127.0.0.1", run.server.port);
    if (conn) {
        hub_set_timeout(conn, CLIENT_TIMEOUT_MS);
        hub_read(conn, &byte, 1);
        record_end(b, start);
        hub_close(conn);
    } else {
        record_end(b, start);
    }
    return NULL;
}

/* Writes and never reads: the server must give up on it (its write times out). */
static void *flood(void *arg)
{
    bad_client_t *b = arg;
    uint64_t start = hub_now();
    size_t chunk = 1 << 20;
    char *buf = calloc(1, chunk);
    hub_conn_t *conn = buf ? hub_connect("127.0.0.1", run.server.port) : NULL;
    if (conn) {
        hub_set_timeout(conn, CLIENT_TIMEOUT_MS);
        while (b->bytes < FLOOD_LIMIT && hub_write(conn, buf, chunk) == 0)
            b->bytes += chunk;
        record_end(b, start);
        hub_close(conn);
    } else {
        record_end(b, start);
    }
    free(buf);
    return NULL;
}

static int clients_done(void)
{
    for (int i = 0; i < connections; i++)
        if (!run.clients[i].done)
            return 0;
    for (int i = 0; i < 3; i++)
        if (!run.bad[i].done)
            return 0;
    return 1;
}

/* Kills every task still running after the deadline: they fail their checks. */
static void *watchdog(void *arg)
{
    greenlet_t **tasks = arg;
    uint64_t start = hub_now();
    while (!clients_done() || run.server.active > 0) {
        if (hub_now() - start > DEADLINE_MS) {
            run.deadline_hit = 1;
            fprintf(stderr, "test_hub_echo: deadline of %d s passed: killing what still runs\n", DEADLINE_MS / 1000);
            for (int i = 0; i < connections + 3; i++)
                if (greenlet_active(tasks[i]))
                    greenlet_kill(tasks[i]);
            greenlet_clear_error();
            break;
        }
        if (hub_sleep(20) < 0)
            break;
    }
    return NULL;
}

static void *test_main(void *arg)
{
    uint64_t start = hub_now();
    greenlet_t **tasks = calloc((size_t)connections + 3, sizeof *tasks);
    run.server.idle_timeout_ms = SERVER_IDLE_TIMEOUT_MS;
    if (tasks == NULL || echo_server_start(&run.server, "127.0.0.1", 0) < 0) {
        fprintf(stderr, "test_hub_echo: cannot start the server: %s\n", greenlet_error_message());
        greenlet_clear_error();
        free(tasks);
        return NULL;
    }
    run.bad[0] = (bad_client_t){.name = "disconnects mid-message", .run = disconnect_mid_message};
    run.bad[1] = (bad_client_t){.name = "sends nothing", .run = idle};
    run.bad[2] = (bad_client_t){.name = "floods", .run = flood};
    for (int i = 0; i < 3; i++)
        tasks[connections + i] = greenlet_ref(hub_spawn(run.bad[i].run, &run.bad[i]));
    for (int i = 0; i < connections; i++) {
        run.clients[i] = (echo_client_t){.ip = "127.0.0.1", .port = run.server.port, .messages = messages,
                                         .seed = (uint32_t)i + 1, .timeout_ms = CLIENT_TIMEOUT_MS};
        tasks[i] = greenlet_ref(hub_spawn(echo_client_run, &run.clients[i]));
    }
    greenlet_t *dog = greenlet_ref(hub_spawn(watchdog, tasks));
    while (greenlet_active(dog) || !greenlet_started(dog))
        hub_sleep(10);
    run.elapsed_ms = hub_now() - start;
    echo_server_stop(&run.server);
    greenlet_unref(dog);
    for (int i = 0; i < connections + 3; i++)
        greenlet_unref(tasks[i]);
    free(tasks);
    return NULL;
}

/* Each connection takes two descriptors here (client and server side): the
 * soft limit (often 1,024) goes up to the hard limit; only a hard limit too low
 * scales the test down, and says so. */
static void fit_descriptor_limit(void)
{
    struct rlimit lim;
    rlim_t needed = (rlim_t)connections * 2 + 64;
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
        return;
    if (lim.rlim_cur < needed && lim.rlim_cur != lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
            getrlimit(RLIMIT_NOFILE, &lim);
    }
    if (lim.rlim_cur < needed) {
        int fit = (int)((lim.rlim_cur - 64) / 2);
        printf("test_hub_echo: SCALED DOWN: the limit on open files is %llu (hard %llu), too low for %d "
               "connections: testing %d\n", (unsigned long long)lim.rlim_cur, (unsigned long long)lim.rlim_max,
               connections, fit);
        connections = fit;
    }
}

TEST(echo_under_load)
{
    hub_report_t report;
    run.clients = calloc((size_t)connections, sizeof *run.clients);
    CHECK(run.clients != NULL);
    if (run.clients == NULL)
        return;
    CHECK_INT(hub_run(test_main, NULL, &report), 0);
    CHECK_INT(run.deadline_hit, 0);
    /* Every byte of every message came back, in order. */
    int failed = 0;
    uint64_t bytes = 0;
    for (int i = 0; i < connections; i++) {
        echo_client_t *c = &run.clients[i];
        bytes += c->bytes;
        if (c->messages_ok == messages && c->error_code == 0)
            continue;
        if (failed++ < 5)
            fprintf(stderr, "    client %d: %d of %d messages, error %d: %s\n", i, c->messages_ok, messages,
                    c->error_code, c->error_text ? c->error_text : "");
    }
    CHECK_INT(failed, 0);
    /* The bad clients were dealt with, and the others served meanwhile. */
    CHECK(run.bad[0].done);
    CHECK_INT(run.bad[1].error_code, HUB_CODE(UV_EOF)); /* the server closed the idle connection */
    CHECK(run.bad[1].elapsed_ms + 100 >= SERVER_IDLE_TIMEOUT_MS);
    CHECK(run.bad[2].error_code == HUB_CODE(UV_ECONNRESET) || run.bad[2].error_code == HUB_CODE(UV_EPIPE));
    CHECK(run.bad[2].bytes < FLOOD_LIMIT);
    CHECK_INT(run.server.accepted, connections + 3);
    CHECK_INT(run.server.ended_eof, connections); /* the good clients: they closed when done */
    CHECK_INT(run.server.ended_timeout, 2);        /* idle and flood */
    CHECK_INT(run.server.ended_error, 1);          /* the reset */
    CHECK_INT(run.server.ended_killed, 0);
    CHECK_INT(run.server.active, 0);
    /* Clean shutdown. */
    CHECK_INT(report.tasks_killed, 0);
    CHECK_INT(report.uncaught_errors, 0);
    CHECK_INT(report.handles_left, 0);
    printf("test_hub_echo: %d connections x %d messages, %llu bytes echoed intact in %.2f s; "
           "flood stopped after %llu MiB\n", connections, messages, (unsigned long long)bytes,
           run.elapsed_ms / 1000.0, (unsigned long long)(run.bad[2].bytes >> 20));
    free(run.clients);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        connections = atoi(argv[1]);
    if (argc > 2)
        messages = atoi(argv[2]);
    fit_descriptor_limit();
    RUN_TEST(echo_under_load);
    return check_finish();
}

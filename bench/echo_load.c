/* The load of bench/echo.py: `bench_echo_load PORT CONNECTIONS SECONDS SERVER_PID`
 * opens CONNECTIONS connections to 127.0.0.1:PORT (one hub task each), reads
 * the server's resident memory before and once all are open, then has every
 * connection echo 64-byte messages back and forth for SECONDS and counts them.
 * Prints one line: "connections=N msgs_per_s=X rss_per_conn=B server_rss_kb=K". */
#include "hub.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static int port, connections, seconds, opened, failed, running;
static long server_pid;
static uint64_t messages;

static long rss_kb(long pid)
{
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

static void *connection(void *arg)
{
    char out[64], in[64];
    memset(out, 'x', sizeof out);
    hub_conn_t *conn = hub_connect("127.0.0.1", port);
    if (conn == NULL) {
        failed++;
        greenlet_clear_error();
        return NULL;
    }
    hub_set_timeout(conn, 60000);
    opened++;
    while (running == 0) /* everyone connected first */
        hub_sleep(10);
    while (running == 1) {
        if (hub_write(conn, out, sizeof out) < 0 || hub_read_exactly(conn, in, sizeof in) < 0) {
            failed++;
            greenlet_clear_error();
            break;
        }
        messages++;
    }
    hub_close(conn);
    return NULL;
}

static void *load(void *arg)
{
    long before = rss_kb(server_pid);
    for (int i = 0; i < connections; i++)
        hub_spawn(connection, NULL);
    while (opened + failed < connections)
        hub_sleep(10);
    long after = rss_kb(server_pid);
    running = 1;
    uint64_t start = hub_now();
    hub_sleep((uint64_t)seconds * 1000);
    uint64_t counted = messages, elapsed = hub_now() - start;
    running = 2;
    printf("connections=%d failed=%d msgs_per_s=%.0f rss_per_conn=%.0f server_rss_kb=%ld\n", connections, failed,
           counted * 1000.0 / (double)elapsed, (after - before) * 1024.0 / connections, after);
    return NULL;
}

int main(int argc, char **argv)
{
    struct rlimit lim;
    if (argc != 5) {
        fprintf(stderr, "usage: bench_echo_load PORT CONNECTIONS SECONDS SERVER_PID\n");
        return 2;
    }
    port = atoi(argv[1]);
    connections = atoi(argv[2]);
    seconds = atoi(argv[3]);
    server_pid = atol(argv[4]);
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
    }
    hub_report_t report;
    if (hub_run(load, NULL, &report) < 0)
        return 1;
    return failed ? 1 : 0;
}

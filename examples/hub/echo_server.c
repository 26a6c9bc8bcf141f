/* An echo server on the hub: `echo_server [port] [connections]` serves on
 * 127.0.0.1 (port 0: any free one; the port is printed first), forever, or
 * until it has served that many connections. */
#include "echo.h"

#include <stdio.h>
#include <stdlib.h>

static int port, max_connections;

static void *serve(void *arg)
{
    echo_server_t *server = arg;
    if (echo_server_start(server, "127.0.0.1", port) < 0) {
        fprintf(stderr, "echo_server: %s\n", greenlet_error_message());
        greenlet_clear_error();
        return NULL;
    }
    printf("echo_server: listening on 127.0.0.1:%d\n", server->port);
    fflush(stdout);
    while (max_connections == 0 || server->accepted < max_connections)
        hub_sleep(50);
    echo_server_stop(server);
    while (server->active > 0) /* the last connections finish */
        hub_sleep(50);
    return NULL;
}

int main(int argc, char **argv)
{
    echo_server_t server = {.idle_timeout_ms = 30000};
    hub_report_t report;
    port = argc > 1 ? atoi(argv[1]) : 7000;
    max_connections = argc > 2 ? atoi(argv[2]) : 0;
    if (hub_run(serve, &server, &report) < 0)
        return 1;
    printf("echo_server: %d connections served, %d ended cleanly, %llu bytes echoed\n", server.accepted,
           server.ended_eof, (unsigned long long)server.bytes_echoed);
    return report.uncaught_errors || report.handles_left || report.tasks_killed ? 1 : 0;
}

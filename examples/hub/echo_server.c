/* An echo server on the hub: `echo_server [port] [seconds]` serves on
 * 127.0.0.1 (port 0: any free one, printed), forever or for that many seconds. */
#include "echo.h"

#include <stdio.h>
#include <stdlib.h>

static int port, seconds;

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
    for (int t = 0; seconds == 0 || t < seconds; t++)
        hub_sleep(1000);
    echo_server_stop(server); /* open connections finish on their own */
    return NULL;
}

int main(int argc, char **argv)
{
    echo_server_t server = {.idle_timeout_ms = 30000};
    hub_report_t report;
    port = argc > 1 ? atoi(argv[1]) : 7000;
    seconds = argc > 2 ? atoi(argv[2]) : 0;
    if (hub_run(serve, &server, &report) < 0)
        return 1;
    printf("echo_server: %d connections, %llu bytes echoed\n", server.accepted,
           (unsigned long long)server.bytes_echoed);
    return report.uncaught_errors || report.handles_left ? 1 : 0;
}

/* A load client on the hub: `load_client port [connections] [messages]` opens
 * that many connections to 127.0.0.1:port at once, one task each, sends each
 * connection's messages and checks every byte that comes back. Port "-": read
 * it from the first line of stdin ("...:PORT", what echo_server prints). */
#include "echo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int port, connections = 100, messages = 100;

static void *load(void *arg)
{
    echo_client_t *clients = arg;
    for (int i = 0; i < connections; i++) {
        clients[i] = (echo_client_t){.ip = "127.0.0.1", .port = port, .messages = messages,
                                     .seed = (uint32_t)i + 1, .timeout_ms = 30000};
        if (hub_spawn(echo_client_run, &clients[i]) == NULL)
            return NULL;
    }
    while (hub_task_count() > 1) /* the clients, and this task */
        hub_sleep(10);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: load_client port [connections] [messages]\n");
        return 2;
    }
    port = atoi(argv[1]);
    if (strcmp(argv[1], "-") == 0) {
        char line[200];
        const char *colon = fgets(line, sizeof line, stdin) ? strrchr(line, ':') : NULL;
        port = colon ? atoi(colon + 1) : 0;
    }
    if (argc > 2)
        connections = atoi(argv[2]);
    if (argc > 3)
        messages = atoi(argv[3]);
    echo_client_t *clients = calloc((size_t)connections, sizeof *clients);
    hub_report_t report;
    if (clients == NULL || hub_run(load, clients, &report) < 0)
        return 1;
    int failed = 0;
    unsigned long long bytes = 0;
    for (int i = 0; i < connections; i++) {
        bytes += clients[i].bytes;
        if (clients[i].messages_ok != messages && failed++ < 5)
            fprintf(stderr, "load_client: connection %d: %d of %d messages: %s\n", i, clients[i].messages_ok,
                    messages, clients[i].error_text ? clients[i].error_text : "?");
    }
    printf("load_client: %d connections, %d failed, %llu bytes echoed intact\n", connections, failed, bytes);
    free(clients);
    return failed || report.uncaught_errors || report.handles_left ? 1 : 0;
}

/* An echo server and an echo client on the hub, as plain blocking loops: one
 * task per connection, no callbacks. Used by echo_server.c, load_client.c and
 * the tests. */
#ifndef ECHO_H
#define ECHO_H

#include "hub.h"

#include <stdint.h>

typedef struct echo_server {
    uint64_t idle_timeout_ms;   /* a connection idle (or not reading) this long is closed */
    hub_server_t *listener;
    greenlet_t *acceptor;       /* our reference */
    int port;
    /* How connections ended. */
    int accepted, active, ended_eof, ended_timeout, ended_error, ended_killed;
    uint64_t bytes_echoed;
} echo_server_t;

/* Listens on ip:port (0: any) and starts accepting. 0, or -1 with an error. */
int echo_server_start(echo_server_t *server, const char *ip, int port);
/* Stops accepting (kills the acceptor task); open connections go on. */
void echo_server_stop(echo_server_t *server);

typedef struct echo_client {
    const char *ip;
    int port;
    int messages;               /* how many messages to send and check */
    uint32_t seed;              /* sizes and contents */
    uint64_t timeout_ms;        /* per blocking call; 0: none */
    /* Results. */
    int done, messages_ok;
    uint64_t bytes;
    int error_code;             /* 0, or the greenlet error that ended it */
    const char *error_text;
} echo_client_t;

/* Task body: connects, sends each message, reads it back and compares. */
void *echo_client_run(void *client);

/* The size of message i of a client (1 .. 16 KiB, mostly small). */
size_t echo_message_size(uint32_t seed, int i);

#endif

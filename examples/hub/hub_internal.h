/* What hub_core.c shares with hub_tcp.c: the loop and the wait/wake protocol. */
#ifndef HUB_INTERNAL_H
#define HUB_INTERNAL_H

#include "hub.h"

/* A task blocked in a hub call: lives on that task's stack. Whoever completes
 * the request fills in result (>= 0, or a libuv error code) and wakes it. */
typedef struct hub_waiter {
    greenlet_t *task;
    ssize_t result;
} hub_waiter_t;

uv_loop_t *hub_loop(void);

/* GREENLET_EINVAL (pending), -1, unless the caller is a task of a running hub. */
int hub_check_task(const char *call);

/* Raises HUB_CODE(uv_code) with libuv's message as payload; returns -1. */
int hub_raise_uv(int uv_code);

/* Switches to the hub until w is woken: 0, or -1 with the error (a kill) that
 * was delivered instead. The caller must then cancel what would wake w. */
int hub_wait(hub_waiter_t *w);

/* From a libuv callback (on the hub): resumes w's task at once. */
void hub_wake(hub_waiter_t *w, ssize_t result);

/* From a task: resumes w's task on the hub's next turn (a task cannot switch
 * to another directly without being left suspended with no one to wake it). */
void hub_wake_later(hub_waiter_t *w, ssize_t result);

#endif

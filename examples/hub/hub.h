/*
 * hub: greenlets on a libuv event loop (an example built on libgreenlet).
 *
 * One greenlet, the hub, runs the libuv loop. Every other greenlet is a task
 * spawned on the hub. A blocking call (hub_sleep, hub_accept, hub_connect,
 * hub_read, hub_write) starts a libuv request, switches to the hub, and is
 * resumed by the request's callback with the result. Task code therefore reads
 * as plain blocking code, with no callbacks:
 *
 *     for (;;) {
 *         ssize_t n = hub_read(conn, buf, sizeof buf);
 *         if (n < 0 || hub_write(conn, buf, (size_t)n) < 0)
 *             break;
 *     }
 *     hub_close(conn);
 *
 * Errors: a failing call returns -1 (or NULL) with a greenlet error pending.
 * libuv's errors are raised as positive (user) codes, HUB_CODE(UV_...), whose
 * payload is libuv's message (const char *); end of stream is HUB_CODE(UV_EOF).
 * A task killed with greenlet_kill() while blocked gets GREENLET_EXIT from the
 * blocking call, whose request is cancelled first; the task's cleanup then runs
 * as usual (R14). hub_close() never blocks, so cleanup code may call it.
 *
 * One hub per thread; hub_* calls other than hub_run must come from a task.
 * hub_run ignores SIGPIPE for the process, as network servers do: a write to a
 * closed connection then fails with HUB_CODE(UV_EPIPE) instead of killing it.
 */
#ifndef HUB_H
#define HUB_H

#include <greenlet.h>
#include <stddef.h>
#include <sys/types.h>
#include <uv.h>

/* The greenlet error code for a libuv error code (libuv's are negative). */
#define HUB_CODE(uv_code) (-(uv_code))

/* What hub_run saw when the loop ended. A clean run has all three zero. */
typedef struct hub_report {
    int tasks_killed;     /* tasks still suspended when the loop ran dry: killed */
    int uncaught_errors;  /* tasks whose run returned with an error pending */
    int handles_left;     /* libuv handles still open after the kills (a leak) */
} hub_report_t;

/* Runs main_task(arg) as the first task and the loop until no task has work
 * left; then kills what is still suspended, closes the loop, fills *report.
 * Returns 0, or -1 when the loop could not be set up or closed. Main greenlet. */
int hub_run(greenlet_run_t main_task, void *arg, hub_report_t *report);

/* Starts fn(arg) as a new task on the hub's next turn. Returns the task's
 * greenlet (borrowed: valid until the task ends; greenlet_ref() to keep it),
 * or NULL with GREENLET_ENOMEM pending. From a task. */
greenlet_t *hub_spawn(greenlet_run_t fn, void *arg);

/* Lets the hub run everything else that is ready, then resumes. */
int hub_yield(void);

/* Suspends the calling task for ms milliseconds. 0, or -1 with an error. */
int hub_sleep(uint64_t ms);

/* Milliseconds since an arbitrary start (the loop's clock). */
uint64_t hub_now(void);

/* How many tasks are alive (started or waiting to start). */
int hub_task_count(void);

/* ---- TCP ---------------------------------------------------------------- */

typedef struct hub_conn hub_conn_t;
typedef struct hub_server hub_server_t;

/* Listens on ip:port (port 0: any free port; hub_server_port() tells which). */
hub_server_t *hub_listen(const char *ip, int port, int backlog);
int hub_server_port(hub_server_t *server);
/* Waits for the next connection. */
hub_conn_t *hub_accept(hub_server_t *server);
/* Stops listening and frees the server (never blocks). */
void hub_server_close(hub_server_t *server);

/* Connects to ip:port. */
hub_conn_t *hub_connect(const char *ip, int port);

/* Every later blocking call on conn fails with HUB_CODE(UV_ETIMEDOUT) when it
 * waits longer than ms (0: no limit, the default). A write that times out
 * closes the connection: its data may be half sent. */
void hub_set_timeout(hub_conn_t *conn, uint64_t ms);

/* Reads what has arrived, at most len bytes (len > 0): returns how many (> 0),
 * or -1 with an error pending (HUB_CODE(UV_EOF) at the end of the stream). */
ssize_t hub_read(hub_conn_t *conn, void *buf, size_t len);

/* Reads exactly len bytes (an end of stream before that is HUB_CODE(UV_EOF)). */
int hub_read_exactly(hub_conn_t *conn, void *buf, size_t len);

/* Writes all len bytes. 0, or -1 with an error pending. */
int hub_write(hub_conn_t *conn, const void *buf, size_t len);

/* Closes the connection and frees it (never blocks; ends a blocked reader or
 * writer of another task with HUB_CODE(UV_ECANCELED)). reset: send an RST. */
void hub_close(hub_conn_t *conn);
void hub_close_reset(hub_conn_t *conn);

#endif

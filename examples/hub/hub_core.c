/* The hub: a greenlet running the libuv loop, the tasks it runs, and the
 * wait/wake protocol the blocking calls are built on. */
#include "hub_internal.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct hub_task {
    greenlet_t *greenlet;      /* the hub's reference */
    greenlet_run_t fn;
    void *arg;
    struct hub_task *prev, *next;   /* every live task */
    struct hub_task *next_ready;    /* the ready queue */
    bool ready;
} hub_task_t;

typedef struct hub_state {
    uv_loop_t loop;
    greenlet_t *greenlet;      /* runs uv_run */
    uv_idle_t ready_idle;      /* active while the ready queue is not empty */
    hub_task_t *ready_head, *ready_tail;
    hub_task_t live;           /* sentinel of the list of live tasks */
    int task_count;
    int uncaught_errors;
} hub_state_t;

static _Thread_local hub_state_t *hub;

uv_loop_t *hub_loop(void) { return &hub->loop; }
uint64_t hub_now(void) { return uv_now(&hub->loop); }
int hub_task_count(void) { return hub ? hub->task_count : 0; }

int hub_raise_uv(int uv_code)
{
    greenlet_raise(HUB_CODE(uv_code), (void *)uv_strerror(uv_code));
    return -1;
}

int hub_check_task(const char *call)
{
    greenlet_t *self = greenlet_current();
    if (hub == NULL || greenlet_dead(hub->greenlet) || self == hub->greenlet || greenlet_is_main(self)) {
        greenlet_raise(GREENLET_EINVAL, (void *)call);
        return -1;
    }
    return 0;
}

/* ---- The ready queue --------------------------------------------------- */

static void run_ready(uv_idle_t *idle);

static void ready_push(hub_task_t *t)
{
    if (t->ready)
        return;
    t->ready = true;
    t->next_ready = NULL;
    if (hub->ready_tail)
        hub->ready_tail->next_ready = t;
    else
        hub->ready_head = t;
    hub->ready_tail = t;
    uv_idle_start(&hub->ready_idle, run_ready); /* an active idle handle: the loop polls without blocking */
}

static void ready_remove(hub_task_t *t)
{
    hub_task_t *prev = NULL;
    if (!t->ready)
        return;
    for (hub_task_t *it = hub->ready_head; it; prev = it, it = it->next_ready) {
        if (it != t)
            continue;
        if (prev)
            prev->next_ready = it->next_ready;
        else
            hub->ready_head = it->next_ready;
        if (hub->ready_tail == it)
            hub->ready_tail = prev;
        break;
    }
    t->ready = false;
}

static void task_forget(hub_task_t *t)
{
    t->prev->next = t->next;
    t->next->prev = t->prev;
    hub->task_count--;
    greenlet_unref(t->greenlet); /* may be the running greenlet itself: allowed */
    free(t);
}

/* Errors that reach the hub (a task's switch to it cannot fail otherwise). */
static void report_hub_error(const char *where)
{
    if (greenlet_error(NULL) == 0)
        return;
    fprintf(stderr, "hub: error in %s: %s\n", where, greenlet_error_message());
    hub->uncaught_errors++;
    greenlet_clear_error();
}

/* Runs the tasks that were ready when the turn began; later ones wait for the
 * next turn, so that a task that keeps yielding cannot starve the I/O. */
static void run_ready(uv_idle_t *idle)
{
    hub_task_t *last = hub->ready_tail;
    while (hub->ready_head) {
        hub_task_t *t = hub->ready_head;
        hub->ready_head = t->next_ready;
        if (!hub->ready_head)
            hub->ready_tail = NULL;
        t->ready = false;
        if (greenlet_dead(t->greenlet)) /* killed before it started */
            task_forget(t);
        else {
            greenlet_switch(t->greenlet, t);
            report_hub_error("a task");
        }
        if (t == last)
            break;
    }
    if (!hub->ready_head)
        uv_idle_stop(idle);
}

/* ---- Tasks --------------------------------------------------------------- */

static void *task_main(void *arg)
{
    hub_task_t *t = arg;
    t->fn(t->arg);
    int code = greenlet_error(NULL);
    if (code != 0 && code != GREENLET_EXIT) {
        fprintf(stderr, "hub: task %s ended with an error: %s\n",
                greenlet_name(t->greenlet) ? greenlet_name(t->greenlet) : "(unnamed)", greenlet_error_message());
        hub->uncaught_errors++;
    }
    greenlet_clear_error();
    task_forget(t);
    return NULL;
}

greenlet_t *hub_spawn(greenlet_run_t fn, void *arg)
{
    hub_task_t *t = calloc(1, sizeof *t);
    if (t == NULL) {
        greenlet_raise(GREENLET_ENOMEM, NULL);
        return NULL;
    }
    greenlet_attr_t attr = {.stack_size = 64 * 1024, .userdata = t};
    t->greenlet = greenlet_new(task_main, hub->greenlet, &attr);
    if (t->greenlet == NULL) {
        free(t);
        return NULL;
    }
    t->fn = fn;
    t->arg = arg;
    t->next = &hub->live;
    t->prev = hub->live.prev;
    t->prev->next = t;
    hub->live.prev = t;
    hub->task_count++;
    ready_push(t);
    return t->greenlet;
}

/* ---- Waiting and waking ---------------------------------------------------- */

int hub_wait(hub_waiter_t *w)
{
    w->task = greenlet_current();
    w->result = 0;
    greenlet_clear_error(); /* an error the task already handled is not a new one */
    greenlet_switch(hub->greenlet, NULL);
    if (greenlet_error(NULL) == 0)
        return 0;
    ready_remove(greenlet_userdata(w->task)); /* killed while a wake was queued */
    return -1;
}

void hub_wake(hub_waiter_t *w, ssize_t result)
{
    w->result = result;
    greenlet_switch(w->task, NULL);
    report_hub_error("a task");
}

void hub_wake_later(hub_waiter_t *w, ssize_t result)
{
    w->result = result;
    ready_push(greenlet_userdata(w->task));
}

int hub_yield(void)
{
    hub_waiter_t w;
    if (hub_check_task("hub_yield") < 0)
        return -1;
    w.task = greenlet_current();
    hub_wake_later(&w, 0);
    return hub_wait(&w);
}

static void free_on_close(uv_handle_t *handle) { free(handle->data); }

typedef struct hub_sleeper {
    uv_timer_t timer;
    hub_waiter_t *waiter;
} hub_sleeper_t;

static void sleep_done(uv_timer_t *timer)
{
    hub_sleeper_t *s = timer->data;
    hub_wake(s->waiter, 0);
}

int hub_sleep(uint64_t ms)
{
    hub_waiter_t w;
    if (hub_check_task("hub_sleep") < 0)
        return -1;
    hub_sleeper_t *s = malloc(sizeof *s);
    if (s == NULL) {
        greenlet_raise(GREENLET_ENOMEM, NULL);
        return -1;
    }
    uv_timer_init(&hub->loop, &s->timer);
    s->timer.data = s;
    s->waiter = &w;
    uv_timer_start(&s->timer, sleep_done, ms, 0);
    int rc = hub_wait(&w);
    uv_close((uv_handle_t *)&s->timer, free_on_close); /* also stops it, when killed */
    return rc;
}

/* ---- The loop ------------------------------------------------------------- */

static void *hub_main(void *arg)
{
    uv_run(&hub->loop, UV_RUN_DEFAULT);
    return NULL;
}

static void count_and_close(uv_handle_t *handle, void *count)
{
    ++*(int *)count;
    if (!uv_is_closing(handle))
        uv_close(handle, NULL); /* leaked memory, if any, is the owner's bug to report */
}

int hub_run(greenlet_run_t main_task, void *arg, hub_report_t *report)
{
    hub_report_t r = {0, 0, 0};
    hub_state_t *h = calloc(1, sizeof *h);
    if (h == NULL || uv_loop_init(&h->loop) != 0) {
        free(h);
        return -1;
    }
    hub = h;
    signal(SIGPIPE, SIG_IGN); /* a write to a closed connection fails with EPIPE, not the process */
    h->live.next = h->live.prev = &h->live;
    uv_idle_init(&h->loop, &h->ready_idle);
    greenlet_attr_t attr = {.name = "hub"};
    h->greenlet = greenlet_new(hub_main, NULL, &attr);
    if (h->greenlet == NULL || hub_spawn(main_task, arg) == NULL) {
        greenlet_clear_error();
        r.uncaught_errors = 1;
    } else {
        greenlet_switch(h->greenlet, NULL); /* until the loop runs dry */
        report_hub_error("the hub");
    }
    /* What is still suspended waits for something that will never come. */
    while (h->live.next != &h->live) {
        greenlet_t *g = greenlet_ref(h->live.next->greenlet);
        hub_task_t *t = h->live.next;
        if (greenlet_kill(g) != 0)
            report_hub_error("a killed task");
        if (greenlet_dead(g) && h->live.next == t) /* never started: no task_main to forget it */
            task_forget(t);
        greenlet_unref(g);
        r.tasks_killed++;
    }
    uv_close((uv_handle_t *)&h->ready_idle, NULL);
    uv_run(&h->loop, UV_RUN_DEFAULT); /* the closes the kills made */
    uv_walk(&h->loop, count_and_close, &r.handles_left);
    uv_run(&h->loop, UV_RUN_DEFAULT);
    int rc = uv_loop_close(&h->loop) == 0 ? 0 : -1;
    r.uncaught_errors += h->uncaught_errors;
    greenlet_unref(h->greenlet);
    free(h);
    hub = NULL;
    if (report)
        *report = r;
    return rc;
}

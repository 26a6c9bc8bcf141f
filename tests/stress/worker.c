/*
 * The stress test's greenlets: each worker takes a random walk of switches to
 * its siblings and its thread's main greenlet, throws into siblings, starts
 * short-lived children and tries cross-thread misuse, then returns. It dies
 * when it receives GREENLET_EXIT (a kill), and checks that it only ever runs
 * on its own thread and receives values of its own thread.
 */
#include <stdint.h>
#include <stdio.h>

#include "stress.h"

static _Thread_local struct thread_work *trace_owner;

static void count_switches(int event, greenlet_t *origin, greenlet_t *target, void *userdata)
{
    struct thread_work *w = userdata;
    STRESS_REQUIRE(w == trace_owner, "a trace hook ran on another thread");
    STRESS_REQUIRE(origin != NULL && target == greenlet_current(), "trace hook arguments");
    STRESS_REQUIRE(event == GREENLET_EVENT_SWITCH || event == GREENLET_EVENT_THROW, "trace event");
    w->switches++;
}

void worker_install_trace(struct thread_work *w)
{
    trace_owner = w;
    greenlet_settrace(count_switches, w);
}

/* A child: hands a value to its parent (the worker) once, then returns. */
static void *child_run(void *arg)
{
    struct thread_work *w = greenlet_userdata(greenlet_current());
    stress_check_value(w, arg);
    void *v = greenlet_switch(greenlet_parent(greenlet_current()), arg);
    if (greenlet_error(NULL) == 0)
        stress_check_value(w, v);
    return v; /* an error (a kill) stays pending: it goes to the parent, or is swallowed */
}

static void run_child(struct thread_work *w, unsigned step)
{
    greenlet_attr_t attr = {.stack_size = STRESS_STACK_SIZE, .name = "child", .userdata = w};
    greenlet_t *child = greenlet_new(child_run, NULL, &attr);
    STRESS_REQUIRE(child != NULL, "greenlet_new");
    atomic_fetch_add(&w->children, 1);
    void *v = greenlet_switch(child, stress_value(w, step));
    STRESS_REQUIRE(greenlet_error(NULL) == 0 && v == stress_value(w, step), "a child's first value");
    /* Either let it finish, or drop it while suspended (R15 kills it here). */
    if (stress_random(w, 2) == 0) {
        v = greenlet_switch(child, stress_value(w, step + 1));
        STRESS_REQUIRE(greenlet_error(NULL) == 0 && v == stress_value(w, step + 1), "a child's result");
        STRESS_REQUIRE(greenlet_dead(child), "a child that returned is dead");
    }
    greenlet_unref(child);
    STRESS_REQUIRE(greenlet_error(NULL) == 0, "unref of a child left an error");
}

/* Returns true when the worker must end now: it was killed. */
static bool handle_result(struct thread_work *w, void *v)
{
    int code = greenlet_error(NULL);
    if (code == GREENLET_EXIT)
        return true;
    if (code != 0) {
        STRESS_REQUIRE(code == STRESS_USER_ERROR, "unexpected error code");
        greenlet_clear_error();
        return false;
    }
    stress_check_value(w, v);
    return false;
}

static void *worker_run(void *arg)
{
    greenlet_t *self = greenlet_current();
    struct worker *me = greenlet_userdata(self);
    struct thread_work *w = me->w;
    STRESS_REQUIRE(pthread_equal(pthread_self(), w->self), "a greenlet ran on another thread");
    STRESS_REQUIRE(atomic_fetch_add(&me->entered, 1) == 0, "a worker started twice");
    atomic_fetch_add(&w->started, 1);
    stress_check_value(w, arg);

    unsigned steps = 1 + stress_random(w, STRESS_MAX_STEPS);
    void *result = stress_value(w, (unsigned)me->index);
    for (unsigned s = 0; s < steps; s++) {
        unsigned r = stress_random(w, 100);
        void *v = NULL;
        if (r < 35) {
            greenlet_t *sibling = w->greenlets[stress_random(w, STRESS_GREENLETS)];
            v = greenlet_switch(sibling, stress_value(w, s));
        } else if (r < 65) {
            v = greenlet_switch(w->main, stress_value(w, s));
        } else if (r < 72) {
            greenlet_t *sibling = w->greenlets[stress_random(w, STRESS_GREENLETS)];
            v = sibling == self ? NULL : greenlet_throw(sibling, STRESS_USER_ERROR, NULL);
        } else if (r < 80) {
            run_child(w, s);
        } else if (r < 90) {
            misuse_attempt(w);
        } else if (r < 93) {
            share_exchange(w);
        } else if (r < 96) {
            greenlet_raise(STRESS_USER_ERROR, NULL); /* uncaught: goes to main (R11) */
            break;
        } else {
            continue;
        }
        STRESS_REQUIRE(greenlet_current() == self, "resumed as another greenlet");
        if (handle_result(w, v))
            break; /* killed: GREENLET_EXIT stays pending and is swallowed (R11) */
    }
    STRESS_REQUIRE(pthread_equal(pthread_self(), w->self), "a greenlet ended on another thread");
    STRESS_REQUIRE(atomic_fetch_add(&me->exited, 1) == 0, "a worker ended twice");
    atomic_fetch_add(&w->finished, 1);
    return result;
}

greenlet_t *worker_new(struct thread_work *w, int index)
{
    static const char *const names[] = {"w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7"};
    struct worker *me = &w->workers[index];
    me->w = w;
    me->index = index;
    greenlet_attr_t attr = {.stack_size = STRESS_STACK_SIZE, .name = names[w->index % 8], .userdata = me};
    greenlet_t *g = greenlet_new(worker_run, NULL, &attr);
    STRESS_REQUIRE(g != NULL, "greenlet_new");
    return g;
}

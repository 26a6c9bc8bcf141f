/*
 * Switching (R5, R6, R7, R11, R12, R17): where a value or an error goes, how a
 * greenlet starts and dies, and what the receiving side does after every
 * switch. The only call into the backend that changes stacks is in
 * perform_switch() (switch_path.h); greenlet_switch() itself, the fast path,
 * is each backend's (switch_entry.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "switch_path.h"

/* Where a value goes when it cannot go to g: up the tree, staying on this
 * thread (a started greenlet's parent always is; an unstarted one's need not
 * be, R8, and then the thread's main greenlet takes it). */
static greenlet_t *next_up(struct thread_state *ts, const greenlet_t *g)
{
    greenlet_t *p = g->parent;
    return p != NULL && p->thread == ts ? p : ts->main;
}

/* Readies an unstarted greenlet to be entered. Returns 0 or the error code,
 * described in *why. */
static int prepare_start(struct thread_state *ts, greenlet_t *g, struct error *why)
{
    if (g->run == NULL) {
        glet_error_set(why, GREENLET_ENORUN, NULL, "greenlet '%s' has no run function", glet_label(g));
        return GREENLET_ENORUN;
    }
    if (g->parent != NULL && g->parent->thread != ts) {
        char theirs[64], ours[64];
        glet_thread_state_describe(g->parent->thread, theirs, sizeof theirs);
        glet_thread_state_describe(ts, ours, sizeof ours);
        glet_error_set(why, GREENLET_ETHREAD, NULL,
                       "greenlet '%s' cannot start on %s: its parent '%s' belongs to %s", glet_label(g), ours,
                       glet_label(g->parent), theirs);
        return GREENLET_ETHREAD;
    }
    const char *reason = "";
    struct stack *s = glet_stack_pool_take(ts, g->stack_size, &reason);
    if (s == NULL) {
        glet_error_set(why, GREENLET_ENOMEM, NULL, "no stack of %zu bytes for greenlet '%s': %s", g->stack_size,
                       glet_label(g), reason);
        return GREENLET_ENOMEM;
    }
    g->stack = s;
    glet_backend_context_start(&g->ctx, s, g->name);
    return 0;
}

/* Keeps the in-flight reference on origin as ts->held when others hold it
 * too, or drops it (the protocol in internal.h). Whatever was held before is
 * dropped last: that may kill it, which switches. */
static void hold_or_drop(struct thread_state *ts, greenlet_t *origin)
{
    greenlet_t *previous = ts->held;
    ts->held = NULL;
    if (state_of(origin) != STATE_DEAD && atomic_load_explicit(&origin->refs, memory_order_relaxed) > 1)
        ts->held = origin;
    else
        greenlet_unref(origin);
    greenlet_unref(previous);
}

/*
 * Runs in the greenlet that was just resumed (or entered), for the cases the
 * fast path below leaves out: releases what the switch left behind, runs the
 * trace hook, and turns the transfer into this side's result: the value, or
 * NULL with the error pending in self.
 */
__attribute__((noinline)) void *glet_arrive_slow(struct thread_state *ts, greenlet_t *self)
{
    greenlet_t *origin = ts->transfer.origin;
    void *value = ts->transfer.value;
    struct error err;
    err.code = ts->transfer.error.code;
    if (err.code != 0) {
        err = ts->transfer.error; /* the hook may switch and reuse ts->transfer */
        ts->transfer.error.code = 0;
    }
    ts->transfer.origin = NULL;

    if (origin != self && state_of(origin) == STATE_DEAD && origin->stack != NULL) {
        glet_backend_context_finish(&origin->ctx); /* its final switch is over: the stack is free (R6) */
        glet_stack_pool_give(ts, origin->stack);
        origin->stack = NULL;
    }
    if (ts->trace != NULL)
        ts->trace(err.code != 0 ? GREENLET_EVENT_THROW : GREENLET_EVENT_SWITCH, origin, self, ts->trace_userdata);
    if (origin->orphan && state_of(origin) == STATE_DEAD) {
        origin->orphan = false;
        greenlet_unref(origin); /* the reference kept since it refused to die */
    }
    hold_or_drop(ts, origin);

    if (err.code != 0) {
        self->error = err;
        return NULL;
    }
    return value;
}

void *glet_switch_to(struct thread_state *ts, greenlet_t *target, void *value, const struct error *err,
                     bool failures_to_caller)
{
    greenlet_t *self = ts->current;
    struct error forwarded;
    for (;;) {
        enum greenlet_state state = state_of(target);
        if (state == STATE_DEAD) { /* R7: a start that fails past it still fails in the caller */
            target = next_up(ts, target);
            continue;
        }
        if (target == self) { /* R5: to oneself, at once; the hook still sees it */
            glet_ref(self);
            ts->transfer.origin = self;
            ts->transfer.value = value;
            if (err != NULL && err->code != 0)
                ts->transfer.error = *err;
            return arrive(ts, self);
        }
        if (state == STATE_UNSTARTED && prepare_start(ts, target, &forwarded) != 0) {
            if (failures_to_caller) { /* R3, R20: nothing switched */
                self->error = forwarded;
                return NULL;
            }
            err = &forwarded; /* R7: from a dying greenlet, the failure goes on up */
            value = NULL;
            target = next_up(ts, target);
            continue;
        }
        return perform_switch(ts, self, target, value, err, state_of(self) == STATE_DEAD, state == STATE_UNSTARTED);
    }
}

/* What glet_greenlet_entry() does once run has returned: the result, or the
 * pending error, goes to the parent (R6, R11). Kept out of the entry's frame,
 * which every switch of the greenlet unwinds and rewinds on WebAssembly. */
static __attribute__((noinline, noreturn)) void leave_finished(struct thread_state *ts, greenlet_t *self,
                                                               void *result)
{
    struct error err;
    err.code = self->error.code;
    if (err.code != 0) { /* (the copy is large: only when there is one) */
        err = self->error;
        glet_error_clear(&self->error);
    }
    if (err.code == GREENLET_EXIT) { /* swallowed: its payload is the value */
        result = err.payload;
        err.code = 0;
    }
    state_set(self, STATE_DEAD);
    glet_thread_state_live_remove(self);
    glet_switch_to(ts, next_up(ts, self), err.code != 0 ? NULL : result, err.code != 0 ? &err : NULL, false);
    fprintf(stderr, "libgreenlet: internal error: a dead greenlet was resumed\n");
    abort();
}

/* Called through a pointer: Binaryen's inliner ignores noinline and inlines
 * every function that has one caller, and on WebAssembly each local of a
 * frame on a greenlet's stack is saved and restored at every switch. */
static void (*volatile leave_finished_call)(struct thread_state *, greenlet_t *, void *) = leave_finished;

/* The bottom of every non-main greenlet's stack. */
void glet_greenlet_entry(void)
{
    struct thread_state *ts = glet_this_thread;
    void *arg = arrive(ts, ts->current);
    /* ts and self are read again after each call, so that nothing but run's
     * result is live across one: this frame saves less at every switch (on
     * WebAssembly). R12: thrown into before starting, it never runs (a new
     * greenlet has no pending error of its own: one here came with the
     * arrival). */
    greenlet_t *self = glet_this_thread->current;
    void *result = self->error.code != 0 ? NULL : self->run(arg);
    ts = glet_this_thread;
    leave_finished_call(ts, ts->current, result);
}

/* greenlet_switch() for everything but a plain switch to a suspended
 * greenlet of this thread (switch_entry.c). */
__attribute__((noinline)) void *glet_switch_checked(greenlet_t *g, void *value)
{
    struct thread_state *ts = glet_thread_state_get();
    if (ts == NULL)
        return NULL;
    if (g == NULL) {
        glet_raise_in_current(ts, GREENLET_EINVAL, "greenlet_switch: NULL greenlet");
        return NULL;
    }
    if (check_owner(ts, g, "switch to") != 0)
        return NULL;
    return glet_switch_to(ts, g, value, NULL, true);
}

void *greenlet_throw(greenlet_t *g, int code, void *payload)
{
    struct thread_state *ts = glet_thread_state_get();
    if (ts == NULL)
        return NULL;
    if (g == NULL || code == 0) {
        glet_raise_in_current(ts, GREENLET_EINVAL, "greenlet_throw: %s",
                              g == NULL ? "NULL greenlet" : "code 0 is not an error");
        return NULL;
    }
    if (check_owner(ts, g, "throw into") != 0)
        return NULL;
    if (code == GREENLET_EXIT && state_of(g) == STATE_DEAD) /* R12: already dead: the payload is a value */
        return glet_switch_to(ts, g, payload, NULL, true);
    struct error err;
    glet_error_set(&err, code, payload, NULL);
    return glet_switch_to(ts, g, NULL, &err, true);
}

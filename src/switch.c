/*
 * Switching (R5, R6, R7, R11, R12, R17): where a value or an error goes, how a
 * greenlet starts and dies, and what the receiving side does after every
 * switch. The only call into the backend that changes stacks is in
 * perform_switch().
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

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

/*
 * Runs in the greenlet that was just resumed (or entered), for the cases the
 * fast path below leaves out: releases what the switch left behind, runs the
 * trace hook, and turns the transfer into this side's result.
 * ts->arrived_error tells an error from a NULL value.
 */
static __attribute__((noinline)) void *arrive_slow(struct thread_state *ts, greenlet_t *self)
{
    greenlet_t *origin = ts->transfer.origin;
    int event = ts->transfer.event;
    void *value = ts->transfer.value;
    struct error err;
    err.code = ts->transfer.error.code;
    if (err.code != 0)
        err = ts->transfer.error; /* the hook may switch and reuse ts->transfer */
    ts->transfer.origin = NULL;

    if (origin != self && state_of(origin) == STATE_DEAD && origin->stack != NULL) {
        glet_backend_context_finish(&origin->ctx); /* its final switch is over: the stack is free (R6) */
        glet_stack_pool_give(ts, origin->stack);
        origin->stack = NULL;
    }
    if (ts->trace != NULL)
        ts->trace(event, origin, self, ts->trace_userdata);
    if (origin->orphan && state_of(origin) == STATE_DEAD) {
        origin->orphan = false;
        greenlet_unref(origin); /* the reference kept since it refused to die */
    }
    greenlet_unref(origin);

    ts->arrived_error = err.code != 0;
    if (err.code != 0) {
        self->error = err;
        return NULL;
    }
    return value;
}

/* The receiving side of every switch. The common case (a value from a live
 * greenlet, no trace hook) only drops the switch's reference on the origin. */
CORE_INLINE void *arrive(struct thread_state *ts, greenlet_t *self)
{
    greenlet_t *origin = ts->transfer.origin;
    if (__builtin_expect(ts->trace != NULL || ts->transfer.error.code != 0 || state_of(origin) == STATE_DEAD, 0))
        return arrive_slow(ts, self);
    void *value = ts->transfer.value; /* before the unref, which may kill origin (R15) and switch */
    ts->transfer.origin = NULL;
    glet_unref(origin);
    ts->arrived_error = false;
    return value;
}

/* Hands over to target, which is suspended, or unstarted and ready
 * (starting), and returns what the next switch back brings. final: self is
 * dead and leaves for good. */
CORE_INLINE void prepare_switch(struct thread_state *ts, greenlet_t *self, greenlet_t *target, void *value,
                                const struct error *err, bool final, bool starting)
{
    ts->transfer.origin = self; /* ts->current's reference moves here */
    ts->transfer.value = value;
    if (err != NULL && err->code != 0) {
        ts->transfer.event = GREENLET_EVENT_THROW;
        ts->transfer.error = *err;
    } else {
        ts->transfer.event = GREENLET_EVENT_SWITCH;
        ts->transfer.error.code = 0;
    }
    if (!final)
        state_set(self, STATE_SUSPENDED);
    if (starting)
        glet_thread_state_live_add(ts, target);
    state_set(target, STATE_RUNNING);
    glet_ref(target);
    ts->current = target;
}

CORE_INLINE void *perform_switch(struct thread_state *ts, greenlet_t *self, greenlet_t *target, void *value,
                                 const struct error *err, bool final, bool starting)
{
    prepare_switch(ts, self, target, value, err, final, starting);
    glet_backend_switch(&self->ctx, &target->ctx, final);
    return arrive(ts, self);
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
            ts->transfer.event = err != NULL && err->code != 0 ? GREENLET_EVENT_THROW : GREENLET_EVENT_SWITCH;
            ts->transfer.error.code = 0;
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
    struct error err = self->error;
    glet_error_clear(&self->error);
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

/* The slow paths of glet_greenlet_entry() and greenlet_switch() are called
 * through pointers: Binaryen's inliner ignores noinline and inlines every
 * function that has one caller, and on WebAssembly each local of a frame on a
 * greenlet's stack is saved and restored at every switch. */
static void (*volatile leave_finished_call)(struct thread_state *, greenlet_t *, void *) = leave_finished;

/* The bottom of every non-main greenlet's stack. */
void glet_greenlet_entry(void)
{
    struct thread_state *ts = glet_thread_state_peek();
    void *arg = arrive(ts, ts->current);
    /* ts and self are read again after each call, so that nothing but run's
     * result is live across one: this frame saves less at every switch. */
    ts = glet_thread_state_peek();
    void *result = ts->arrived_error ? NULL : ts->current->run(arg); /* R12: thrown into before starting: never runs */
    ts = glet_thread_state_peek();
    leave_finished_call(ts, ts->current, result);
}

/* greenlet_switch() for everything but a plain switch to a suspended
 * greenlet of this thread. */
static __attribute__((noinline)) void *switch_checked(struct thread_state *ts, greenlet_t *g, void *value)
{
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

#ifndef GLET_BACKEND_TOPMOST_SWITCH
static void *(*volatile switch_checked_call)(struct thread_state *, greenlet_t *, void *) = switch_checked;

void *greenlet_switch(greenlet_t *g, void *value)
{
    struct thread_state *ts = glet_thread_state_get();
    if (__builtin_expect(ts != NULL && g != NULL && g->thread == ts && state_of(g) == STATE_SUSPENDED, 1))
        return perform_switch(ts, ts->current, g, value, NULL, false, false); /* the caller runs: not final */
    return switch_checked_call(ts, g, value);
}
#else
/*
 * WebAssembly: greenlet_switch() is Asyncify's top-most runtime (the backend's
 * switch_inline.h says how), so a greenlet that switches on the fast path has
 * no frame of its own to save and restore. It must call nothing that can
 * switch: everything else goes through switch_slow(), which Asyncify
 * instruments, called through a pointer so that Binaryen cannot inline it.
 */
enum slow_work { SLOW_SWITCH, SLOW_ARRIVE };
static void *slow_result;

/* Returns 1 with its result in slow_result, or 0 when an unwind passes
 * through it: 0 is what Asyncify's instrumentation returns then. */
static int switch_slow(greenlet_t *g, void *value, int work)
{
    struct thread_state *ts;
    void *result;
    if (work == SLOW_ARRIVE) {
        ts = glet_thread_state_peek();
        result = arrive(ts, ts->current);
    } else {
        ts = glet_thread_state_get();
        if (ts != NULL && g != NULL && g->thread == ts && state_of(g) == STATE_SUSPENDED)
            result = perform_switch(ts, ts->current, g, value, NULL, false, false); /* the caller runs: not final */
        else
            result = switch_checked(ts, g, value);
    }
    slow_result = result;
    return 1;
}

static int (*volatile switch_slow_call)(greenlet_t *, void *, int) = switch_slow;

CORE_INLINE void *slow(greenlet_t *g, void *value, int work)
{
    if (__builtin_expect(switch_slow_call(g, value, work), 1))
        return slow_result;
    glet_backend_unwound_through(); /* the caller unwinds too; its rewind calls again */
    return NULL;
}

/* greenlet_switch() is in the function table: Binaryen inlines a function
 * that has one caller (a program may call greenlet_switch() once), and the
 * caller would then be top-most runtime too, and not instrumented. */
void *(*volatile const glet_greenlet_switch_entry)(greenlet_t *, void *) __attribute__((used)) = greenlet_switch;

/* arrive() in greenlet_switch(): inline when dropping the switch's reference
 * cannot free origin (which may kill it, R15, and switch). No threads on
 * WebAssembly. */
CORE_INLINE void *arrive_topmost(greenlet_t *g, void *value)
{
    struct thread_state *ts = glet_thread_state_peek();
    greenlet_t *origin = ts->transfer.origin;
    if (__builtin_expect(ts->trace == NULL && ts->transfer.error.code == 0 && state_of(origin) != STATE_DEAD &&
                             atomic_load_explicit(&origin->refs, memory_order_relaxed) > 1,
                         1)) {
        ts->transfer.origin = NULL;
        atomic_fetch_sub_explicit(&origin->refs, 1, memory_order_relaxed);
        ts->arrived_error = false;
        return ts->transfer.value;
    }
    return slow(g, value, SLOW_ARRIVE);
}

void *greenlet_switch(greenlet_t *g, void *value)
{
    enum glet_reentry reentry = glet_backend_reentry();
    if (reentry == GLET_REENTRY_RESUMED)
        return arrive_topmost(g, value);
    if (reentry == GLET_REENTRY_THROUGH)
        return slow(g, value, SLOW_SWITCH); /* Asyncify restores switch_slow()'s frame, whatever it was doing */
    if (reentry == GLET_REENTRY_ENTER)
        return glet_backend_enter(NULL) ? arrive_topmost(g, value) : NULL;
    struct thread_state *ts = glet_this_thread;
    if (__builtin_expect(ts != NULL && !atomic_load_explicit(&ts->has_deferred, memory_order_relaxed) && g != NULL &&
                             g->thread == ts && state_of(g) == STATE_SUSPENDED,
                         1)) {
        greenlet_t *self = ts->current;
        enum glet_way way = glet_backend_way(&self->ctx);
        if (way == GLET_WAY_LEAVE) {
            prepare_switch(ts, self, g, value, NULL, false, false);
            glet_backend_leave(&self->ctx, &g->ctx);
            return NULL; /* the caller unwinds; when resumed, it calls again */
        }
        if (way == GLET_WAY_ENTER) {
            prepare_switch(ts, self, g, value, NULL, false, false);
            return glet_backend_enter(&g->ctx) ? arrive_topmost(g, value) : NULL;
        }
    }
    return slow(g, value, SLOW_SWITCH);
}
#endif

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

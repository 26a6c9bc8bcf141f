/*
 * The switch path shared by the core (switch.c) and each backend's
 * greenlet_switch() (switch_entry.c): what a switch does on both sides,
 * inline, since every switch runs it.
 */
#ifndef GREENLET_SWITCH_PATH_H
#define GREENLET_SWITCH_PATH_H

#include "internal.h"

/* switch.c */
void *glet_arrive_slow(struct thread_state *ts, greenlet_t *self);
void *glet_switch_checked(greenlet_t *g, void *value); /* any switch, with every check */

/* The receiving side of every switch. In the common case (a value from a
 * live greenlet that others reference, no trace hook) the switch's reference
 * on the origin becomes ts->held, and only what was held before, if
 * anything, is dropped: in a ping-pong nothing is. */
CORE_INLINE void *arrive(struct thread_state *ts, greenlet_t *self)
{
    greenlet_t *origin = ts->transfer.origin;
    if (__builtin_expect(ts->trace != NULL || ts->transfer.error.code != 0 || state_of(origin) == STATE_DEAD ||
                             atomic_load_explicit(&origin->refs, memory_order_relaxed) == 1,
                         0))
        return glet_arrive_slow(ts, self);
    void *value = ts->transfer.value; /* before the drop below, which may kill (R15) and switch */
    greenlet_t *previous = ts->held;
    ts->transfer.origin = NULL;
    ts->held = origin;
    if (previous != NULL &&
        __builtin_expect(atomic_fetch_sub_explicit(&previous->refs, 1, memory_order_acq_rel) == 1, 0))
        glet_last_reference_gone(previous); /* (held greenlets are this thread's) */
    return value;
}

/* Everything a switch to target does before the stacks change: target is
 * suspended, or unstarted and ready (starting). final: self is dead and
 * leaves for good. */
CORE_INLINE void prepare_switch(struct thread_state *ts, greenlet_t *self, greenlet_t *target, void *value,
                                const struct error *err, bool final, bool starting)
{
    ts->transfer.origin = self; /* ts->current's reference moves here */
    ts->transfer.value = value;
    if (err != NULL && err->code != 0)
        ts->transfer.error = *err;
    if (!final)
        state_set(self, STATE_SUSPENDED);
    if (starting)
        glet_thread_state_live_add(ts, target);
    state_set(target, STATE_RUNNING);
    if (__builtin_expect(ts->held == target, 1))
        ts->held = NULL; /* its reference becomes ts->current's */
    else
        glet_ref(target);
    ts->current = target;
}

/* Hands over to target (prepare_switch) and returns what the next switch back
 * brings. */
CORE_INLINE void *perform_switch(struct thread_state *ts, greenlet_t *self, greenlet_t *target, void *value,
                                 const struct error *err, bool final, bool starting)
{
    prepare_switch(ts, self, target, value, err, final, starting);
    glet_backend_switch(&self->ctx, &target->ctx, final);

    /* Resumed, maybe much later: the same thread, and self is current again.
     * Nothing from before is kept across the switch, so that no register
     * has to be saved for it on top of what the backend saves. */
    ts = glet_this_thread;
    return arrive(ts, ts->current);
}

#endif /* GREENLET_SWITCH_PATH_H */

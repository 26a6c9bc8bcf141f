/*
 * greenlet_switch(), the public entry of every switch, on WebAssembly.
 *
 * greenlet_switch() is Asyncify's top-most runtime here (switch_inline.h says
 * how), so a greenlet that switches on the fast path has no frame of its own
 * to save and restore. It must call nothing that can switch: everything else
 * goes through switch_slow(), which Asyncify instruments, called through a
 * pointer so that Binaryen cannot inline it.
 */
#include "../switch_path.h"

enum slow_work { SLOW_SWITCH, SLOW_ARRIVE };
static _Thread_local void *slow_result;

/* Returns 1 with its result in slow_result, or 0 when an unwind passes
 * through it: 0 is what Asyncify's instrumentation returns then. */
static int switch_slow(greenlet_t *g, void *value, int work)
{
    struct thread_state *ts;
    void *result;
    if (work == SLOW_ARRIVE) {
        ts = glet_this_thread;
        result = arrive(ts, ts->current);
    } else {
        ts = glet_thread_state_get();
        if (ts != NULL && g != NULL && g->thread == ts && state_of(g) == STATE_SUSPENDED)
            result = perform_switch(ts, ts->current, g, value, NULL, false, false); /* the caller runs: not final */
        else
            result = glet_switch_checked(g, value);
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

/* arrive() in greenlet_switch(): inline when nothing it drops can be freed
 * (dropping may kill, R15, and killing switches): the switch's reference on
 * origin becomes ts->held, and what was held before goes down by one. No
 * threads on WebAssembly. */
CORE_INLINE void *arrive_topmost(greenlet_t *g, void *value)
{
    struct thread_state *ts = glet_this_thread;
    greenlet_t *origin = ts->transfer.origin;
    greenlet_t *previous = ts->held;
    if (__builtin_expect(ts->trace == NULL && ts->transfer.error.code == 0 && state_of(origin) != STATE_DEAD &&
                             atomic_load_explicit(&origin->refs, memory_order_relaxed) > 1 &&
                             (previous == NULL || atomic_load_explicit(&previous->refs, memory_order_relaxed) > 1),
                         1)) {
        ts->transfer.origin = NULL;
        ts->held = origin;
        if (previous != NULL)
            atomic_fetch_sub_explicit(&previous->refs, 1, memory_order_relaxed);
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

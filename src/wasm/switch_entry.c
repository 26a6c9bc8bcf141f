/*
 * greenlet_switch(), the public entry of every switch: the fast path for a
 * suspended greenlet of this thread; everything else goes through the core's
 * checks (switch.c). (WebAssembly: the same as natively, for now.)
 */
#include "../switch_path.h"

void *greenlet_switch(greenlet_t *g, void *value)
{
    /* g->thread is never NULL: a match means this thread has a state, and the
     * check of glet_thread_state_get() is left to do. */
    struct thread_state *ts = glet_this_thread;
    if (__builtin_expect(g != NULL && g->thread == ts &&
                             !atomic_load_explicit(&ts->has_deferred, memory_order_relaxed) &&
                             state_of(g) == STATE_SUSPENDED,
                         1))
        return perform_switch(ts, ts->current, g, value, NULL, false, false); /* the caller runs: not final */
    return glet_switch_checked(g, value);
}

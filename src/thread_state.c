/*
 * Per-thread state (R2, R15, R16): the lazily created main greenlet, the
 * current greenlet, the trace hook, the stack pool, the queue of greenlets
 * whose last reference was dropped on another thread, and the cleanup that
 * kills a thread's suspended greenlets when it exits.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

_Thread_local struct thread_state *glet_this_thread;
static atomic_ulong threads_seen;

static void thread_state_exit(void *arg);

struct thread_state *glet_thread_state_peek(void) { return glet_this_thread; }

static struct thread_state *thread_state_create(void)
{
    struct thread_state *ts = glet_calloc(sizeof *ts);
    if (ts == NULL)
        return NULL;
    if (glet_backend_thread_init() != 0) {
        free(ts);
        return NULL;
    }
    atomic_init(&ts->refs, 1); /* the thread's own */
    atomic_flag_clear(&ts->lock);
    ts->live.live_next = ts->live.live_prev = &ts->live;
    greenlet_t *main_greenlet = glet_alloc(ts, NULL, NULL, NULL);
    if (main_greenlet == NULL) {
        glet_backend_thread_exit();
        free(ts);
        return NULL;
    }
    ts->number = atomic_fetch_add(&threads_seen, 1) + 1;
    ts->os_id = glet_platform_thread_os_id();
    main_greenlet->is_main = true;
    state_set(main_greenlet, STATE_RUNNING);
    glet_backend_context_init_main(&main_greenlet->ctx);
    ts->main = main_greenlet;                     /* the reference from glet_alloc */
    ts->current = greenlet_ref(main_greenlet);
    glet_this_thread = ts;
    glet_platform_on_thread_exit(thread_state_exit, ts);
    return ts;
}

/* glet_thread_state_get() (internal.h) when there is no state yet or a deferred
 * kill is queued. */
struct thread_state *glet_thread_state_get_slow(void)
{
    struct thread_state *ts = glet_this_thread;
    if (ts == NULL)
        return thread_state_create();
    if (atomic_load_explicit(&ts->has_deferred, memory_order_relaxed) && !ts->draining) {
        glet_free_deferred(ts);
        /* After the queue: another thread sets recheck_held before has_deferred.
         * Cleared before the count is read, so that a request made meanwhile
         * is either seen in the count or left set. (A load and a store: some
         * targets, riscv64 with gcc 12, have no inline one-byte exchange.) */
        if (atomic_load(&ts->recheck_held)) {
            atomic_store(&ts->recheck_held, false);
            if (ts->held != NULL && atomic_load(&ts->held->refs) == 1)
                glet_release_held(ts);
        }
    }
    return ts;
}

/* Out of line: the callers on the owner's warm paths rarely take it. */
__attribute__((noinline)) void glet_thread_state_lock(struct thread_state *ts)
{
    while (atomic_flag_test_and_set_explicit(&ts->lock, memory_order_acquire))
        glet_platform_yield(); /* the holder may be waiting for our core */
}

void glet_thread_state_unlock(struct thread_state *ts) { atomic_flag_clear_explicit(&ts->lock, memory_order_release); }

void glet_thread_state_release(struct thread_state *ts)
{
    if (atomic_fetch_sub_explicit(&ts->refs, 1, memory_order_acq_rel) == 1)
        free(ts);
}

void glet_thread_state_describe(const struct thread_state *ts, char *buf, size_t size)
{
    snprintf(buf, size, "thread %lu (tid %ld)", ts->number, ts->os_id);
}

/* Until its thread exits, only the owner changes the live list, and it
 * needs no lock; afterwards another thread may free a suspended greenlet
 * that can no longer be killed (lifecycle.c), and every change takes it. */
static bool live_list_shared(struct thread_state *ts)
{
    return glet_this_thread != ts || atomic_load_explicit(&ts->exited, memory_order_relaxed);
}

void glet_thread_state_live_add(struct thread_state *ts, greenlet_t *g)
{
    bool shared = live_list_shared(ts);
    if (shared)
        glet_thread_state_lock(ts);
    g->live_prev = &ts->live;
    g->live_next = ts->live.live_next;
    ts->live.live_next->live_prev = g;
    ts->live.live_next = g;
    if (shared)
        glet_thread_state_unlock(ts);
}

void glet_thread_state_live_remove(greenlet_t *g)
{
    if (g->live_next == NULL)
        return;
    struct thread_state *ts = g->thread;
    bool shared = live_list_shared(ts);
    if (shared)
        glet_thread_state_lock(ts);
    g->live_prev->live_next = g->live_next;
    g->live_next->live_prev = g->live_prev;
    g->live_next = g->live_prev = NULL;
    if (shared)
        glet_thread_state_unlock(ts);
}

/* A reference to a suspended greenlet of this thread, unless another thread is
 * dropping its last one (then it is on its way to the deferred queue). */
static greenlet_t *take_suspended(struct thread_state *ts)
{
    greenlet_t *found = NULL;
    glet_thread_state_lock(ts);
    for (greenlet_t *g = ts->live.live_next; g != &ts->live && found == NULL; g = g->live_next) {
        if (state_of(g) != STATE_SUSPENDED)
            continue;
        size_t refs = atomic_load(&g->refs);
        while (refs > 0 && !atomic_compare_exchange_weak(&g->refs, &refs, refs + 1)) {
        }
        if (refs > 0)
            found = g;
    }
    glet_thread_state_unlock(ts);
    return found;
}

/* R15: a thread's suspended greenlets are killed on that thread when it exits. */
static void kill_all_suspended(struct thread_state *ts)
{
    size_t attempts = 0;
    greenlet_t *g;
    while ((g = take_suspended(ts)) != NULL) {
        int rc = ++attempts <= 1000 ? glet_kill_greenlet(ts, g) : GREENLET_EALIVE;
        if (rc == GREENLET_EALIVE && state_of(g) != STATE_DEAD) {
            /* It keeps switching away: nothing can resume it after this thread
             * is gone, so its stack is no longer in use. */
            fprintf(stderr, "libgreenlet: greenlet '%s' did not die when its thread exited; abandoning it\n",
                    glet_label(g));
            state_set(g, STATE_DEAD);
            glet_thread_state_live_remove(g);
            if (g->stack != NULL) {
                glet_backend_context_finish(&g->ctx);
                glet_stack_pool_give(ts, g->stack);
                g->stack = NULL;
            }
        } else if (rc != 0) {
            fprintf(stderr, "libgreenlet: cleanup of greenlet '%s' at thread exit raised %d: %s\n",
                    glet_label(g), rc, ts->current->error.message);
        }
        glet_error_clear(&ts->current->error);
        greenlet_unref(g);
    }
}

static void thread_state_exit(void *arg)
{
    struct thread_state *ts = arg;
    if (ts->current != ts->main) {
        fprintf(stderr, "libgreenlet: thread %lu exited inside greenlet '%s'; its greenlets are abandoned\n",
                ts->number, glet_label(ts->current));
        return; /* nothing can run safely: leave everything as it is */
    }
    glet_free_deferred(ts);
    glet_release_held(ts); /* it may be all that keeps a suspended greenlet */
    kill_all_suspended(ts);

    glet_thread_state_lock(ts);
    atomic_store(&ts->exited, true);
    glet_thread_state_unlock(ts);
    glet_free_deferred(ts); /* queued while we were killing */
    while (ts->held != NULL) /* kills switched: main (or nothing) is held now */
        glet_release_held(ts);

    greenlet_t *main_greenlet = ts->main;
    state_set(main_greenlet, STATE_DEAD);
    ts->trace = NULL;
    ts->current = NULL;
    ts->main = NULL;
    glet_stack_pool_drain(ts);
    glet_backend_thread_exit();
    glet_this_thread = NULL;
    greenlet_unref(main_greenlet); /* ts->current's reference */
    greenlet_unref(main_greenlet); /* ts->main's reference */
    glet_greenlet_memory_drain(ts);
    glet_thread_state_release(ts);
}

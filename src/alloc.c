/* The core's heap allocations, with the fault injection of testing.h, and
 * each thread's cache of greenlet_t memory: a warm create-run-drop cycle
 * then calls neither malloc nor free. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testing.h"

static atomic_long allocations_until_failure = -1;

void glet_testing_fail_allocations(long after) { atomic_store(&allocations_until_failure, after); }

static bool injected_failure(void)
{
    long left = atomic_load_explicit(&allocations_until_failure, memory_order_relaxed);
    while (left > 0) {
        if (atomic_compare_exchange_weak(&allocations_until_failure, &left, left - 1))
            return false;
    }
    return left == 0;
}

void *glet_calloc(size_t size)
{
    return injected_failure() ? NULL : calloc(1, size);
}

char *glet_strdup(const char *s)
{
    if (injected_failure())
        return NULL;
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy != NULL)
        memcpy(copy, s, n);
    return copy;
}

#define SPARE_GREENLETS_MAX 16

greenlet_t *glet_greenlet_memory_take(struct thread_state *ts)
{
    if (injected_failure())
        return NULL;
    greenlet_t *g = ts != NULL ? ts->spare : NULL;
    if (g == NULL)
        return calloc(1, sizeof *g);
    ts->spare = g->live_next;
    ts->spare_count--;
    memset(g, 0, sizeof *g);
    return g;
}

/* Kept by the thread that frees it, whichever thread it belonged to. */
void glet_greenlet_memory_give(greenlet_t *g)
{
    struct thread_state *mine = glet_this_thread;
    if (mine == NULL || mine->spare_count >= SPARE_GREENLETS_MAX ||
        atomic_load_explicit(&mine->exited, memory_order_relaxed)) {
        free(g);
        return;
    }
    g->live_next = mine->spare;
    mine->spare = g;
    mine->spare_count++;
}

void glet_greenlet_memory_drain(struct thread_state *ts)
{
    while (ts->spare != NULL) {
        greenlet_t *g = ts->spare;
        ts->spare = g->live_next;
        free(g);
    }
    ts->spare_count = 0;
}

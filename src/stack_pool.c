/*
 * Per-thread pool of stacks (R20): a finished greenlet's stack is kept for the
 * next one of the same size, so that the steady state of creating, running and
 * finishing greenlets makes no system call.
 */
#include "internal.h"

#define POOL_MAX_STACKS 16

struct stack *glet_stack_pool_take(struct thread_state *ts, size_t size, const char **why)
{
    for (struct stack **link = &ts->pool; *link != NULL; link = &(*link)->next) {
        struct stack *s = *link;
        if (s->size == size) {
            *link = s->next;
            s->next = NULL;
            ts->pool_count--;
            return s;
        }
    }
    return glet_backend_stack_map(size, why);
}

void glet_stack_pool_give(struct thread_state *ts, struct stack *s)
{
    if (ts->pool_count >= POOL_MAX_STACKS || atomic_load_explicit(&ts->exited, memory_order_relaxed)) {
        glet_backend_stack_unmap(s);
        return;
    }
    s->next = ts->pool;
    ts->pool = s;
    ts->pool_count++;
}

void glet_stack_pool_drain(struct thread_state *ts)
{
    while (ts->pool != NULL) {
        struct stack *s = ts->pool;
        ts->pool = s->next;
        glet_backend_stack_unmap(s);
    }
    ts->pool_count = 0;
}

/*
 * Questions about greenlets and per-thread settings (R4, R17, R18, R19).
 */
#include "internal.h"

greenlet_t *greenlet_current(void)
{
    struct thread_state *ts = glet_thread_state_get();
    return ts != NULL ? ts->current : NULL;
}

greenlet_t *greenlet_parent(greenlet_t *g) { return g != NULL ? g->parent : NULL; }

bool greenlet_started(greenlet_t *g) { return g != NULL && state_of(g) != STATE_UNSTARTED; }

bool greenlet_active(greenlet_t *g)
{
    if (g == NULL)
        return false;
    enum greenlet_state s = state_of(g);
    return s == STATE_RUNNING || s == STATE_SUSPENDED;
}

bool greenlet_dead(greenlet_t *g) { return g != NULL && state_of(g) == STATE_DEAD; }

bool greenlet_is_main(greenlet_t *g) { return g != NULL && g->is_main; }

const char *greenlet_state_name(greenlet_t *g)
{
    if (g == NULL)
        return "invalid";
    switch (state_of(g)) {
    case STATE_UNSTARTED: return "unstarted";
    case STATE_RUNNING: return "running";
    case STATE_SUSPENDED: return "suspended";
    default: return "dead";
    }
}

void greenlet_settrace(greenlet_trace_t fn, void *userdata)
{
    struct thread_state *ts = glet_thread_state_get();
    if (ts == NULL)
        return;
    ts->trace = fn;
    ts->trace_userdata = fn != NULL ? userdata : NULL;
}

greenlet_trace_t greenlet_gettrace(void **userdata)
{
    struct thread_state *ts = glet_thread_state_get();
    if (userdata != NULL)
        *userdata = ts != NULL ? ts->trace_userdata : NULL;
    return ts != NULL ? ts->trace : NULL;
}

/* R18: not while it runs on another thread, where it is being used. */
static int check_context_access(struct thread_state *ts, greenlet_t *g, const char *what)
{
    if (g == NULL)
        return glet_raise_in_current(ts, GREENLET_EINVAL, "%s: NULL greenlet", what);
    if (g->thread != ts && state_of(g) == STATE_RUNNING)
        return glet_wrong_thread(ts, g, what);
    return 0;
}

void *greenlet_context(greenlet_t *g)
{
    struct thread_state *ts = glet_thread_state_get();
    if (ts == NULL || check_context_access(ts, g, "read the context of") != 0)
        return NULL;
    return atomic_load_explicit(&g->context, memory_order_acquire);
}

int greenlet_set_context(greenlet_t *g, void *ctx)
{
    struct thread_state *ts = glet_thread_state_get();
    if (ts == NULL)
        return GREENLET_ENOMEM;
    int rc = check_context_access(ts, g, "set the context of");
    if (rc == 0)
        atomic_store_explicit(&g->context, ctx, memory_order_release);
    return rc;
}

void *greenlet_userdata(greenlet_t *g) { return g != NULL ? g->userdata : NULL; }

const char *greenlet_name(greenlet_t *g) { return g != NULL ? g->name : NULL; }

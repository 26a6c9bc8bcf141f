/*
 * Errors: the C form of exceptions (R9, R10). Each greenlet has at most one
 * pending error; the public calls here read and write the current one's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

void glet_error_set(struct error *e, int code, void *payload, const char *fmt, ...)
{
    e->code = code;
    e->payload = payload;
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->message, sizeof e->message, fmt, ap);
        va_end(ap);
    } else if (code > 0) {
        snprintf(e->message, sizeof e->message, "user error %d", code);
    } else {
        snprintf(e->message, sizeof e->message, "%s", greenlet_strerror(code));
    }
}

void glet_error_clear(struct error *e)
{
    e->code = 0;
    e->payload = NULL;
    e->message[0] = '\0';
}

int glet_raise_in_current(struct thread_state *ts, int code, const char *fmt, ...)
{
    struct error *e = &ts->current->error;
    e->code = code;
    e->payload = NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return code;
}

const char *glet_label(const greenlet_t *g)
{
    if (g->name != NULL)
        return g->name;
    return g->is_main ? "main" : "(unnamed)";
}

/* R13, R16: the message names both threads. */
int glet_wrong_thread(struct thread_state *ts, const greenlet_t *g, const char *what)
{
    char owner[64], caller[64];
    glet_thread_state_describe(g->thread, owner, sizeof owner);
    glet_thread_state_describe(ts, caller, sizeof caller);
    if (atomic_load(&g->thread->exited))
        return glet_raise_in_current(ts, GREENLET_ETHREAD,
                                     "cannot %s greenlet '%s': it belonged to %s, which has exited (called from %s)",
                                     what, glet_label(g), owner, caller);
    return glet_raise_in_current(ts, GREENLET_ETHREAD,
                                 "cannot %s greenlet '%s' from %s: it belongs to %s", what, glet_label(g),
                                 caller, owner);
}

int greenlet_error(void **payload)
{
    struct thread_state *ts = glet_thread_state_get();
    const struct error *e = ts != NULL ? &ts->current->error : NULL;
    if (payload != NULL)
        *payload = e != NULL ? e->payload : NULL;
    return e != NULL ? e->code : GREENLET_ENOMEM;
}

void greenlet_clear_error(void)
{
    struct thread_state *ts = glet_thread_state_get();
    if (ts != NULL)
        glet_error_clear(&ts->current->error);
}

void greenlet_raise(int code, void *payload)
{
    struct thread_state *ts = glet_thread_state_get();
    if (ts == NULL)
        return;
    if (code == 0)
        glet_error_clear(&ts->current->error);
    else
        glet_error_set(&ts->current->error, code, payload, NULL);
}

const char *greenlet_error_message(void)
{
    struct thread_state *ts = glet_thread_state_get();
    if (ts == NULL)
        return "GREENLET_ENOMEM: out of memory (no thread state)";
    return ts->current->error.message;
}

const char *greenlet_strerror(int code)
{
    switch (code) {
    case 0: return "no error";
    case GREENLET_EXIT: return "GREENLET_EXIT: greenlet killed";
    case GREENLET_EINVAL: return "GREENLET_EINVAL: invalid argument";
    case GREENLET_ENOMEM: return "GREENLET_ENOMEM: out of memory";
    case GREENLET_ETHREAD: return "GREENLET_ETHREAD: greenlet belongs to another thread";
    case GREENLET_ECYCLE: return "GREENLET_ECYCLE: parent cycle";
    case GREENLET_ENORUN: return "GREENLET_ENORUN: greenlet has no run function";
    case GREENLET_EALIVE: return "GREENLET_EALIVE: greenlet did not die when killed";
    default: return code > 0 ? "user error" : "unknown library error";
    }
}

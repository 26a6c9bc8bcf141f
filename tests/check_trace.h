/*
 * A trace log for libgreenlet's C tests: records every switch and throw the
 * trace hook reports (R17), to show what switched, or that nothing did.
 */
#ifndef GREENLET_TESTS_CHECK_TRACE_H
#define GREENLET_TESTS_CHECK_TRACE_H

#include "check.h"

#define TRACE_LOG_MAX 64

struct trace_event {
    int event;
    greenlet_t *origin; /* borrowed: compare, do not dereference later */
    greenlet_t *target;
};

struct trace_log {
    int count;
    struct trace_event events[TRACE_LOG_MAX];
};

static inline void trace_log_hook(int event, greenlet_t *origin, greenlet_t *target, void *userdata)
{
    struct trace_log *log = (struct trace_log *)userdata;
    if (log->count < TRACE_LOG_MAX) {
        struct trace_event e = {event, origin, target};
        log->events[log->count] = e;
    }
    log->count++;
}

/* Starts recording this thread's switches into log (cleared first). */
static inline void trace_log_start(struct trace_log *log)
{
    memset(log, 0, sizeof *log);
    greenlet_settrace(trace_log_hook, log);
}

static inline void trace_log_stop(void) { greenlet_settrace(NULL, NULL); }

/* Event i of the log is (event, origin, target). */
#define CHECK_EVENT(log, i, ev, from, to)                                                          \
    do {                                                                                           \
        const struct trace_log *check_l_ = (log);                                                  \
        int check_i_ = (i);                                                                        \
        if (check_i_ >= check_l_->count || check_i_ >= TRACE_LOG_MAX) {                            \
            check_fail(__FILE__, __LINE__, "trace event " #i " exists");                           \
        } else {                                                                                   \
            const struct trace_event *check_ev_ = &check_l_->events[check_i_];                     \
            CHECK_INT(check_ev_->event, ev);                                                       \
            CHECK_PTR(check_ev_->origin, from);                                                    \
            CHECK_PTR(check_ev_->target, to);                                                      \
        }                                                                                          \
    } while (0)

#endif /* GREENLET_TESTS_CHECK_TRACE_H */

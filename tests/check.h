/*
 * A small assertion header for libgreenlet's C tests.
 *
 * Each test file is one executable: it defines test cases with TEST(), runs
 * them from main() with RUN_TEST() and returns check_finish(). A failed check
 * prints file:line and the expression and is counted; it does not stop the
 * test case, because a longjmp out of a greenlet's stack would be worse than
 * going on. After each test case the harness checks that the case left the
 * thread clean: back in the main greenlet, no error pending, no trace hook.
 *
 * A trace log (struct trace_log) records every switch and throw; the misuse
 * tests use it to show that nothing switched.
 */
#ifndef GREENLET_TESTS_CHECK_H
#define GREENLET_TESTS_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greenlet.h"

static int check_failures;
static const char *check_current_test = "(none)";

static inline void check_fail(const char *file, int line, const char *expr)
{
    fprintf(stderr, "%s:%d: [%s] CHECK failed: %s\n", file, line, check_current_test, expr);
    fflush(stderr);
    check_failures++;
}

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        if (!(expr))                                                                               \
            check_fail(__FILE__, __LINE__, #expr);                                                 \
    } while (0)

#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                            \
        if (check_a_ != check_b_) {                                                                \
            check_fail(__FILE__, __LINE__, #a " == " #b);                                          \
            fprintf(stderr, "    got %lld, expected %lld\n", check_a_, check_b_);                  \
        }                                                                                          \
    } while (0)

#define CHECK_PTR(a, b)                                                                            \
    do {                                                                                           \
        const void *check_a_ = (const void *)(a), *check_b_ = (const void *)(b);                   \
        if (check_a_ != check_b_) {                                                                \
            check_fail(__FILE__, __LINE__, #a " == " #b);                                          \
            fprintf(stderr, "    got %p, expected %p\n", check_a_, check_b_);                      \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *check_a_ = (a), *check_b_ = (b);                                               \
        if (check_a_ == NULL || check_b_ == NULL || strcmp(check_a_, check_b_) != 0) {             \
            check_fail(__FILE__, __LINE__, #a " equals " #b);                                      \
            fprintf(stderr, "    got \"%s\", expected \"%s\"\n", check_a_ ? check_a_ : "(null)",   \
                    check_b_ ? check_b_ : "(null)");                                               \
        }                                                                                          \
    } while (0)

#define CHECK_CONTAINS(haystack, needle)                                                           \
    do {                                                                                           \
        const char *check_h_ = (haystack), *check_n_ = (needle);                                   \
        if (check_h_ == NULL || strstr(check_h_, check_n_) == NULL) {                              \
            check_fail(__FILE__, __LINE__, #haystack " contains " #needle);                        \
            fprintf(stderr, "    \"%s\" does not contain \"%s\"\n",                                \
                    check_h_ ? check_h_ : "(null)", check_n_);                                     \
        }                                                                                          \
    } while (0)

/* The current greenlet has error `code` pending (0: none). Clears it. */
#define CHECK_ERROR(code)                                                                          \
    do {                                                                                           \
        int check_e_ = greenlet_error(NULL), check_x_ = (code);                                    \
        if (check_e_ != check_x_) {                                                                \
            check_fail(__FILE__, __LINE__, "pending error is " #code);                             \
            fprintf(stderr, "    got %d (%s: %s), expected %d (%s)\n", check_e_,                   \
                    greenlet_strerror(check_e_), greenlet_error_message(), check_x_,               \
                    greenlet_strerror(check_x_));                                                  \
        }                                                                                          \
        greenlet_clear_error();                                                                    \
    } while (0)

/* A stack size that no system can map (R13, R20): a quarter of a 64-bit
 * address space; on 32-bit targets (where a quarter, 1 GiB, may well map)
 * more than half of it. */
#define UNMAPPABLE_STACK_SIZE (sizeof(size_t) >= 8 ? SIZE_MAX / 4 : SIZE_MAX / 2 + 1)

/* A small integer as a switch value. */
#define VAL(n) ((void *)(uintptr_t)(n))

/* ---- Trace log ---- */

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

/* ---- Running test cases ---- */

/* Touches `bytes` of stack in one frame (a variable-length array, so that
 * sanitizer redzones add little) and checks it reads back; returns the
 * number of bytes that did not. For stack size tests (R20, R21). */
static inline int use_stack(size_t bytes)
{
    volatile unsigned char area[bytes];
    for (size_t i = bytes; i-- > 0;) /* from the top down, as a stack grows */
        area[i] = (unsigned char)(i * 31u);
    int bad = 0;
    for (size_t i = 0; i < bytes; i++)
        bad += area[i] != (unsigned char)(i * 31u);
    return bad;
}

/* A greenlet body using (size_t)arg bytes of its stack. */
static inline void *use_arg_bytes_of_stack(void *arg) { return VAL(use_stack((size_t)(uintptr_t)arg)); }

#define TEST(name) static void name(void)
#define RUN_TEST(name) check_run(#name, name)

static inline void check_run(const char *name, void (*fn)(void))
{
    int before = check_failures;
    check_current_test = name;
    fn();
    /* The case must leave the thread as it found it. */
    greenlet_t *current = greenlet_current();
    if (!greenlet_is_main(current))
        check_fail(__FILE__, __LINE__, "test case ends in the main greenlet");
    int pending = greenlet_error(NULL);
    if (pending != 0) {
        check_fail(__FILE__, __LINE__, "test case ends with no error pending");
        fprintf(stderr, "    pending: %d (%s)\n", pending, greenlet_error_message());
        greenlet_clear_error();
    }
    if (greenlet_gettrace(NULL) != NULL) {
        check_fail(__FILE__, __LINE__, "test case ends with no trace hook");
        greenlet_settrace(NULL, NULL);
    }
    printf("%s %s\n", check_failures == before ? "ok  " : "FAIL", name);
    fflush(stdout);
    check_current_test = "(none)";
}

/* main() returns this: non-zero if any check failed. */
static inline int check_finish(void)
{
    if (check_failures != 0) {
        fprintf(stderr, "%d check(s) failed\n", check_failures);
        return 1;
    }
    return 0;
}

#endif /* GREENLET_TESTS_CHECK_H */

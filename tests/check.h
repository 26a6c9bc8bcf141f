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
 * Beside it: check_trace.h (a log of every switch and throw, to show what
 * switched, or that nothing did) and check_stack.h (using a given amount of
 * stack).
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

/* The current greenlet has error `code` pending (0: none); then clears it,
 * so that the next check starts from none. */
#define CHECK_AND_CLEAR_ERROR(code)                                                                \
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

/* A small integer as a switch value. */
#define VAL(n) ((void *)(uintptr_t)(n))

/* ---- Running test cases ---- */

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

/*
 * Switch benchmark: the cost of one context switch, in nanoseconds.
 *
 * Each contender runs a ping-pong between the main context and one coroutine:
 * a round trip is two switches, so ns per switch = round trip time / 2. Every
 * contender is measured several times in the same run, interleaved, and the
 * median is reported (with the fastest and slowest repetitions) so that a
 * noisy neighbour on a shared machine shows up as spread rather than as a
 * wrong figure.
 *
 * Contenders: libgreenlet; glibc swapcontext (which also saves and restores
 * the signal mask, a system call each way); Boost.Context's fcontext (the
 * minimal assembly switch, no library bookkeeping), when available.
 *
 * Usage: bench_switch [round_trips_per_repetition [repetitions]]
 */
#define _GNU_SOURCE
#include <greenlet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if GREENLET_BENCH_UCONTEXT
#include <ucontext.h>
#endif

enum { COROUTINE_STACK_SIZE = 64 * 1024, MAX_REPETITIONS = 101 };

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Every contender adds the values it receives here, so that no compiler can
 * drop the switches as dead code. */
static volatile uintptr_t checksum;

/* ---- libgreenlet ----------------------------------------------------------- */

/* Bounces every value straight back to main until it is killed. */
static void *greenlet_echo(void *value)
{
    greenlet_t *main_greenlet = greenlet_parent(greenlet_current());
    while (greenlet_error(NULL) == 0)
        value = greenlet_switch(main_greenlet, value);
    return NULL;
}

static greenlet_t *echo_greenlet;

static int greenlet_setup(void)
{
    greenlet_attr_t attr = {.stack_size = COROUTINE_STACK_SIZE, .name = "echo"};
    echo_greenlet = greenlet_new(greenlet_echo, NULL, &attr);
    if (!echo_greenlet || (greenlet_switch(echo_greenlet, NULL), greenlet_error(NULL) != 0)) {
        fprintf(stderr, "libgreenlet: %s\n", greenlet_error_message());
        return -1;
    }
    return 0;
}

static void greenlet_round_trips(long n)
{
    for (long i = 0; i < n; i++)
        checksum += (uintptr_t)greenlet_switch(echo_greenlet, (void *)(uintptr_t)i);
}

static void greenlet_teardown(void)
{
    greenlet_unref(echo_greenlet); /* kills it: its switch returns GREENLET_EXIT */
}

/* ---- glibc swapcontext -------------------------------------------------------- */

#if GREENLET_BENCH_UCONTEXT
static ucontext_t ucontext_main, ucontext_echo;
static void *ucontext_stack;
static volatile uintptr_t ucontext_value;

static void ucontext_echo_loop(void)
{
    for (;;) {
        ucontext_value += 1;
        swapcontext(&ucontext_echo, &ucontext_main);
    }
}

static int ucontext_setup(void)
{
    ucontext_stack = malloc(COROUTINE_STACK_SIZE);
    if (!ucontext_stack || getcontext(&ucontext_echo) != 0)
        return -1;
    ucontext_echo.uc_stack.ss_sp = ucontext_stack;
    ucontext_echo.uc_stack.ss_size = COROUTINE_STACK_SIZE;
    ucontext_echo.uc_link = NULL;
    makecontext(&ucontext_echo, ucontext_echo_loop, 0);
    return swapcontext(&ucontext_main, &ucontext_echo); /* first entry */
}

static void ucontext_round_trips(long n)
{
    for (long i = 0; i < n; i++) {
        swapcontext(&ucontext_main, &ucontext_echo);
        checksum += ucontext_value;
    }
}

static void ucontext_teardown(void)
{
    free(ucontext_stack); /* the echo loop is suspended forever; nothing to unwind */
}
#endif

/* ---- Boost.Context fcontext ----------------------------------------------------- */

#if GREENLET_BENCH_FCONTEXT
/* Boost.Context's C-linkage assembly API (boost/context/detail/fcontext.hpp,
 * Boost >= 1.61), declared here so this file stays C. */
typedef void *fcontext_t;
typedef struct {
    fcontext_t fctx; /* the context that jumped here */
    void *data;      /* the value it passed */
} transfer_t;
transfer_t jump_fcontext(fcontext_t const to, void *vp);
fcontext_t make_fcontext(void *sp, size_t size, void (*fn)(transfer_t));

static void *fcontext_stack;
static fcontext_t fcontext_echo;

static void fcontext_echo_loop(transfer_t from)
{
    for (;;)
        from = jump_fcontext(from.fctx, from.data);
}

static int fcontext_setup(void)
{
    fcontext_stack = malloc(COROUTINE_STACK_SIZE);
    if (!fcontext_stack)
        return -1;
    /* make_fcontext takes the top of the stack (it grows down). */
    fcontext_echo = make_fcontext((char *)fcontext_stack + COROUTINE_STACK_SIZE, COROUTINE_STACK_SIZE,
                                  fcontext_echo_loop);
    fcontext_echo = jump_fcontext(fcontext_echo, NULL).fctx; /* first entry */
    return 0;
}

static void fcontext_round_trips(long n)
{
    for (long i = 0; i < n; i++) {
        transfer_t back = jump_fcontext(fcontext_echo, (void *)(uintptr_t)i);
        fcontext_echo = back.fctx;
        checksum += (uintptr_t)back.data;
    }
}

static void fcontext_teardown(void)
{
    free(fcontext_stack);
}
#endif

/* ---- Driver ------------------------------------------------------------------------- */

typedef struct contender {
    const char *name;
    int (*setup)(void);
    void (*round_trips)(long n);
    void (*teardown)(void);
    double ns_per_switch[MAX_REPETITIONS];
} contender_t;

static contender_t contenders[] = {
    {"libgreenlet", greenlet_setup, greenlet_round_trips, greenlet_teardown, {0}},
#if GREENLET_BENCH_UCONTEXT
    {"glibc swapcontext", ucontext_setup, ucontext_round_trips, ucontext_teardown, {0}},
#endif
#if GREENLET_BENCH_FCONTEXT
    {"boost fcontext", fcontext_setup, fcontext_round_trips, fcontext_teardown, {0}},
#endif
};
enum { CONTENDER_COUNT = sizeof contenders / sizeof contenders[0] };

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts t[0..n) and returns its median. */
static double median(double *t, long n)
{
    qsort(t, (size_t)n, sizeof *t, compare_doubles);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2.0;
}

static long parse_positive(const char *text, const char *what)
{
    char *end;
    long value = strtol(text, &end, 10);
    if (end == text || *end != '\0' || value <= 0) {
        fprintf(stderr, "bench_switch: %s must be a positive number, not '%s'\n", what, text);
        exit(2);
    }
    return value;
}

int main(int argc, char **argv)
{
    long round_trips = argc > 1 ? parse_positive(argv[1], "round trips") : 2000000;
    long repetitions = argc > 2 ? parse_positive(argv[2], "repetitions") : 9;
    if (repetitions > MAX_REPETITIONS)
        repetitions = MAX_REPETITIONS;

    for (int c = 0; c < CONTENDER_COUNT; c++) {
        if (contenders[c].setup() != 0) {
            fprintf(stderr, "bench_switch: cannot set up %s\n", contenders[c].name);
            return 1;
        }
        contenders[c].round_trips(round_trips / 10 + 1); /* warm caches and the stack pool */
    }

    /* Interleave the contenders so that they share the machine's moods. */
    for (long r = 0; r < repetitions; r++) {
        for (int c = 0; c < CONTENDER_COUNT; c++) {
            double start = now_ns();
            contenders[c].round_trips(round_trips);
            double elapsed = now_ns() - start;
            contenders[c].ns_per_switch[r] = elapsed / (2.0 * (double)round_trips);
        }
    }

    printf("ns per switch (round trip / 2), %ld round trips x %ld repetitions\n", round_trips, repetitions);
    printf("%-20s %10s %10s %10s\n", "", "median", "min", "max");
    for (int c = 0; c < CONTENDER_COUNT; c++) {
        double *t = contenders[c].ns_per_switch;
        double middle = median(t, repetitions);
        printf("%-20s %10.1f %10.1f %10.1f\n", contenders[c].name, middle, t[0], t[repetitions - 1]);
        contenders[c].teardown();
    }
    return 0;
}

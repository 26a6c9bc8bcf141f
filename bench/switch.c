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
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    /* Only a NULL can be the kill (GREENLET_EXIT): the check of the other
     * contenders' loops, nothing more. */
    while ((value = greenlet_switch(main_greenlet, value)) != NULL || greenlet_error(NULL) == 0) {
    }
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

/* A ring of three: main -> first -> second -> main, one switch each. Not a
 * ping-pong: every switch goes to a greenlet other than the one it came
 * from, so the reference kept on the last one cannot be reused. */
static greenlet_t *ring_first, *ring_second;

static void *ring_pass_on(void *value)
{
    greenlet_t *next = greenlet_current() == ring_first ? ring_second : greenlet_parent(greenlet_current());
    while ((value = greenlet_switch(next, value)) != NULL || greenlet_error(NULL) == 0) {
    }
    return NULL;
}

static int greenlet_ring_setup(void)
{
    greenlet_attr_t attr = {.stack_size = COROUTINE_STACK_SIZE};
    ring_first = greenlet_new(ring_pass_on, NULL, &attr);
    ring_second = greenlet_new(ring_pass_on, NULL, &attr);
    greenlet_switch(ring_first, NULL); /* first starts second, which comes back here */
    return greenlet_error(NULL) != 0 ? -1 : 0;
}

/* Three switches a round: reported per switch like the ping-pongs (n * 2
 * switches in all: n * 2 / 3 rounds). */
static void greenlet_ring_round_trips(long n)
{
    for (long i = 0; i < n * 2 / 3; i++)
        checksum += (uintptr_t)greenlet_switch(ring_first, (void *)(uintptr_t)i);
}

static void greenlet_ring_teardown(void)
{
    greenlet_unref(ring_second);
    greenlet_unref(ring_first);
}

/* A whole life with a warm pool: create, enter, return, drop. One "round
 * trip" here is one lifecycle (reported per lifecycle, not per switch). */
static void *greenlet_return_at_once(void *value) { return value; }

static int greenlet_lifecycle_setup(void) { return 0; }

static void greenlet_lifecycles(long n)
{
    greenlet_attr_t attr = {.stack_size = COROUTINE_STACK_SIZE};
    for (long i = 0; i < n; i++) {
        greenlet_t *g = greenlet_new(greenlet_return_at_once, NULL, &attr);
        checksum += (uintptr_t)greenlet_switch(g, (void *)(uintptr_t)i);
        greenlet_unref(g);
    }
}

static void greenlet_lifecycle_teardown(void) {}

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

/* One coroutine's stack and its suspended context, per fcontext contender. */
struct fcontext_echo {
    void *stack;
    fcontext_t context;
};
static struct fcontext_echo bare_echo, returning_echo;

static void fcontext_echo_loop(transfer_t from)
{
    for (;;)
        from = jump_fcontext(from.fctx, from.data);
}

/* The same jump made inside a function that returns, as every C switch API
 * is: the resumed side then returns from a call that the return-stack
 * predictor did not see, which the bare loop never does. */
static __attribute__((noinline)) transfer_t fcontext_switch(fcontext_t to, void *value)
{
    transfer_t t = jump_fcontext(to, value);
    __asm__ volatile("" ::: "memory"); /* keeps it a call, not a tail jump */
    return t;
}

static void fcontext_returning_echo_loop(transfer_t from)
{
    for (;;)
        from = fcontext_switch(from.fctx, from.data);
}

static int fcontext_echo_start(struct fcontext_echo *e, void (*loop)(transfer_t))
{
    e->stack = malloc(COROUTINE_STACK_SIZE);
    if (!e->stack)
        return -1;
    /* make_fcontext takes the top of the stack (it grows down). */
    e->context = make_fcontext((char *)e->stack + COROUTINE_STACK_SIZE, COROUTINE_STACK_SIZE, loop);
    e->context = jump_fcontext(e->context, NULL).fctx; /* first entry */
    return 0;
}

static int fcontext_setup(void) { return fcontext_echo_start(&bare_echo, fcontext_echo_loop); }
static int fcontext_returning_setup(void) { return fcontext_echo_start(&returning_echo, fcontext_returning_echo_loop); }

static void fcontext_round_trips(long n)
{
    for (long i = 0; i < n; i++) {
        transfer_t back = jump_fcontext(bare_echo.context, (void *)(uintptr_t)i);
        bare_echo.context = back.fctx;
        checksum += (uintptr_t)back.data;
    }
}

static void fcontext_returning_round_trips(long n)
{
    for (long i = 0; i < n; i++) {
        transfer_t back = fcontext_switch(returning_echo.context, (void *)(uintptr_t)i);
        returning_echo.context = back.fctx;
        checksum += (uintptr_t)back.data;
    }
}

static void fcontext_teardown(void) { free(bare_echo.stack); }
static void fcontext_returning_teardown(void) { free(returning_echo.stack); }
#endif

/* ---- Driver ------------------------------------------------------------------------- */

typedef struct contender {
    const char *name;
    const char *kind; /* "switch": ns per switch (a round trip is two); "lifecycle": ns per life */
    int (*setup)(void);
    void (*round_trips)(long n);
    void (*teardown)(void);
    double ns[MAX_REPETITIONS];
} contender_t;

static contender_t contenders[] = {
    {"libgreenlet", "switch", greenlet_setup, greenlet_round_trips, greenlet_teardown, {0}},
    {"libgreenlet, ring of three", "switch", greenlet_ring_setup, greenlet_ring_round_trips, greenlet_ring_teardown,
     {0}},
#if GREENLET_BENCH_FCONTEXT
    {"boost fcontext, returning", "switch", fcontext_returning_setup, fcontext_returning_round_trips,
     fcontext_returning_teardown, {0}},
    {"boost fcontext, bare loop", "switch", fcontext_setup, fcontext_round_trips, fcontext_teardown, {0}},
#endif
#if GREENLET_BENCH_UCONTEXT
    {"glibc swapcontext", "switch", ucontext_setup, ucontext_round_trips, ucontext_teardown, {0}},
#endif
    {"libgreenlet", "lifecycle", greenlet_lifecycle_setup, greenlet_lifecycles, greenlet_lifecycle_teardown, {0}},
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
    bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
    if (json) {
        argc--;
        argv++;
    }
    long round_trips = argc > 1 ? parse_positive(argv[1], "round trips") : 2000000;
    long repetitions = argc > 2 ? parse_positive(argv[2], "repetitions") : 11;
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
            long n = strcmp(contenders[c].kind, "lifecycle") == 0 ? round_trips / 4 : round_trips;
            double start = now_ns();
            contenders[c].round_trips(n);
            double elapsed = now_ns() - start;
            contenders[c].ns[r] = elapsed / (strcmp(contenders[c].kind, "switch") == 0 ? 2.0 * n : (double)n);
        }
    }

    if (json) { /* one line per contender, every repetition in run order (bench/run.py) */
        for (int c = 0; c < CONTENDER_COUNT; c++) {
            printf("{\"bench\":\"native_%s\",\"contender\":\"%s\",\"ns\":[", contenders[c].kind, contenders[c].name);
            for (long r = 0; r < repetitions; r++)
                printf("%s%.2f", r ? "," : "", contenders[c].ns[r]);
            printf("]}\n");
        }
    } else {
        printf("ns per switch (round trip / 2) or per lifecycle, %ld round trips x %ld repetitions\n", round_trips,
               repetitions);
        printf("%-28s %-10s %10s %10s %10s\n", "", "", "median", "min", "max");
    }
    for (int c = 0; c < CONTENDER_COUNT; c++) {
        double *t = contenders[c].ns;
        double middle = median(t, repetitions);
        if (!json)
            printf("%-28s %-10s %10.1f %10.1f %10.1f\n", contenders[c].name, contenders[c].kind, middle, t[0],
                   t[repetitions - 1]);
        contenders[c].teardown();
    }
    return 0;
}

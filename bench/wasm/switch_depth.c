/*
 * WebAssembly switch cost against call depth: libgreenlet (Asyncify driven
 * from C, no JavaScript per switch) next to Emscripten's fiber API
 * (emscripten_fiber_swap, which unwinds to JavaScript on every swap), in the
 * same module and the same run. A worker recurses `depth` frames, then
 * ping-pongs with main; the time per switch is a round trip over two.
 *
 * Usage: switch_depth [REPETITIONS [ROUNDS]] (default 11 and 100000).
 * After one warm-up pass, each repetition measures every depth with both
 * mechanisms, interleaved. stdout: one JSON line per (mechanism, depth) with
 * every repetition's ns per switch; stderr: medians and the ratio.
 */
#include <emscripten.h>
#include <emscripten/fiber.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greenlet.h"

#define MAX_REPS 101
static const int depths[] = {0, 8, 32, 128};
#define NDEPTHS ((int)(sizeof depths / sizeof *depths))

static int rounds = 100000;
static volatile int sink;

/* The recursion and the switching loop are the same code for both
 * mechanisms (each loads its two arguments from volatile globals), so that both
 * functions have the same locals to save per frame. A fiber worker never
 * gets past its last swap: the next measurement starts a new one. */
#define DEFINE_DESCEND(name, swap, a, b)                                                                     \
    static __attribute__((noinline)) int name(int depth)                                                     \
    {                                                                                                        \
        if (depth == 0) {                                                                                    \
            for (int i = 0; i < rounds + 1; i++)                                                             \
                swap(a, b);                                                                                  \
            return 0;                                                                                        \
        }                                                                                                    \
        int r = name(depth - 1);                                                                             \
        sink = r;                                                                                            \
        return r + 1;                                                                                        \
    }

/* ---- libgreenlet ---- */
static greenlet_t *volatile main_g;
static void *volatile no_value;

DEFINE_DESCEND(greenlet_descend, greenlet_switch, main_g, no_value)

static void *greenlet_worker(void *arg) { return (void *)(intptr_t)greenlet_descend((int)(intptr_t)arg); }

static double time_greenlet(int depth)
{
    main_g = greenlet_current();
    greenlet_t *g = greenlet_new(greenlet_worker, NULL, NULL);
    if (g == NULL || greenlet_switch(g, (void *)(intptr_t)depth) != NULL) { /* recursed, first switch back */
        fprintf(stderr, "switch_depth: libgreenlet failed\n");
        exit(1);
    }
    double t0 = emscripten_get_now();
    for (int i = 0; i < rounds; i++)
        greenlet_switch(g, NULL);
    double t1 = emscripten_get_now();
    greenlet_switch(g, NULL); /* lets it return */
    greenlet_unref(g);
    return (t1 - t0) * 1e6 / (2.0 * rounds);
}

/* ---- emscripten_fiber_swap ---- */
#define FIBER_STACK (64 * 1024)
static emscripten_fiber_t main_fiber, worker_fiber;
static int fiber_depth;

static emscripten_fiber_t *volatile worker_p = &worker_fiber, *volatile main_p = &main_fiber;

DEFINE_DESCEND(fiber_descend, emscripten_fiber_swap, worker_p, main_p)

static void fiber_worker(void *arg) { fiber_descend(*(int *)arg); }

static double time_fiber(int depth)
{
    /* The next measurement starts a new worker in the same memory. */
    static char main_asyncify[FIBER_STACK];
    static char *c_stack, *asyncify_stack;
    if (c_stack == NULL && ((c_stack = malloc(FIBER_STACK)) == NULL || (asyncify_stack = malloc(FIBER_STACK)) == NULL)) {
        fprintf(stderr, "switch_depth: out of memory\n");
        exit(1);
    }
    fiber_depth = depth;
    emscripten_fiber_init_from_current_context(&main_fiber, main_asyncify, sizeof main_asyncify);
    emscripten_fiber_init(&worker_fiber, fiber_worker, &fiber_depth, c_stack, FIBER_STACK, asyncify_stack,
                          FIBER_STACK);
    emscripten_fiber_swap(&main_fiber, &worker_fiber); /* recursed, first swap back */
    double t0 = emscripten_get_now();
    for (int i = 0; i < rounds; i++)
        emscripten_fiber_swap(&main_fiber, &worker_fiber);
    double t1 = emscripten_get_now();
    return (t1 - t0) * 1e6 / (2.0 * rounds);
}

/* ---- the interleaved runs ---- */
static const struct contender {
    const char *name;
    double (*measure)(int depth);
} contenders[] = {{"libgreenlet", time_greenlet}, {"emscripten_fiber_swap", time_fiber}};
#define NCONTENDERS ((int)(sizeof contenders / sizeof *contenders))

static double results[NCONTENDERS][NDEPTHS][MAX_REPS];

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    double sorted[MAX_REPS];
    memcpy(sorted, v, (size_t)n * sizeof *v);
    qsort(sorted, (size_t)n, sizeof *sorted, compare_double);
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static double min_of(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++)
        m = v[i] < m ? v[i] : m;
    return m;
}

static double max_of(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++)
        m = v[i] > m ? v[i] : m;
    return m;
}

/* "node" or "browser": the JSON lines say where they were measured. */
EM_JS(int, runtime_is_node, (void), {
    return typeof process == 'object' && typeof process.versions == 'object' && !!process.versions.node;
});

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 11;
    if (argc > 2)
        rounds = atoi(argv[2]);
    if (reps < 1 || reps > MAX_REPS || rounds < 1) {
        fprintf(stderr, "usage: switch_depth [REPETITIONS (1-%d) [ROUNDS]]\n", MAX_REPS);
        return 2;
    }
    /* Warm-up: V8 tiers the code up, the stacks get touched. */
    for (int d = 0; d < NDEPTHS; d++)
        for (int c = 0; c < NCONTENDERS; c++)
            contenders[c].measure(depths[d]);
    for (int r = 0; r < reps; r++) {
        for (int d = 0; d < NDEPTHS; d++) {
            /* Alternate which mechanism goes first. */
            for (int k = 0; k < NCONTENDERS; k++) {
                int c = (k + r) % NCONTENDERS;
                results[c][d][r] = contenders[c].measure(depths[d]);
            }
        }
    }
    const char *runtime = runtime_is_node() ? "node" : "browser";
    for (int c = 0; c < NCONTENDERS; c++) {
        for (int d = 0; d < NDEPTHS; d++) {
            printf("{\"bench\":\"wasm_switch\",\"runtime\":\"%s\",\"contender\":\"%s\",\"depth\":%d,\"ns\":[", runtime,
                   contenders[c].name, depths[d]);
            for (int r = 0; r < reps; r++)
                printf("%s%.2f", r ? "," : "", results[c][d][r]);
            printf("]}\n");
        }
    }
    fflush(stdout);
    fprintf(stderr, "wasm_switch (%s): ns per switch, median [min-max] of %d x %d round trips\n", runtime, reps,
            rounds);
    fprintf(stderr, "%6s %24s %24s %7s\n", "depth", contenders[0].name, contenders[1].name, "ratio");
    for (int d = 0; d < NDEPTHS; d++) {
        double m0 = median(results[0][d], reps), m1 = median(results[1][d], reps);
        fprintf(stderr, "%6d %8.1f [%6.1f-%6.1f] %8.1f [%6.1f-%6.1f] %7.2f\n", depths[d], m0,
                min_of(results[0][d], reps), max_of(results[0][d], reps), m1, min_of(results[1][d], reps),
                max_of(results[1][d], reps), m1 / m0);
    }
    fprintf(stderr, "wasm_switch: done\n");
    return 0;
}

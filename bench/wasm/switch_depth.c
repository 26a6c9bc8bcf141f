/*
 * WebAssembly switch cost against call depth: libgreenlet (Asyncify driven
 * from C, no JavaScript per switch) next to Emscripten's fiber API
 * (emscripten_fiber_swap, which unwinds to JavaScript on every swap), in the
 * same module and the same Node run. A worker recurses `depth` frames, then
 * ping-pongs with main; the time per switch is a round trip over two.
 * Prints one line per (mechanism, depth): "name depth ns_per_switch".
 */
#include <emscripten.h>
#include <emscripten/fiber.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "greenlet.h"

#define ROUNDS 100000

static volatile int sink;

/* ---- libgreenlet ---- */
static greenlet_t *main_g;

static __attribute__((noinline)) int greenlet_descend(int depth)
{
    if (depth == 0) {
        for (int i = 0; i < ROUNDS + 1; i++)
            greenlet_switch(main_g, NULL);
        return 0;
    }
    int r = greenlet_descend(depth - 1);
    sink = r;
    return r + 1;
}

static void *greenlet_worker(void *arg) { return (void *)(intptr_t)greenlet_descend((int)(intptr_t)arg); }

static double time_greenlet(int depth)
{
    main_g = greenlet_current();
    greenlet_t *g = greenlet_new(greenlet_worker, NULL, NULL);
    greenlet_switch(g, (void *)(intptr_t)depth); /* recursed, first switch back */
    double t0 = emscripten_get_now();
    for (int i = 0; i < ROUNDS; i++)
        greenlet_switch(g, NULL);
    double t1 = emscripten_get_now();
    greenlet_switch(g, NULL); /* lets it return */
    greenlet_unref(g);
    return (t1 - t0) * 1e6 / (2.0 * ROUNDS);
}

/* ---- emscripten_fiber_swap ---- */
#define FIBER_STACK (64 * 1024)
static emscripten_fiber_t main_fiber, worker_fiber;
static int fiber_depth;

static __attribute__((noinline)) int fiber_descend(int depth)
{
    if (depth == 0) {
        for (;;)
            emscripten_fiber_swap(&worker_fiber, &main_fiber);
    }
    int r = fiber_descend(depth - 1);
    sink = r;
    return r + 1;
}

static void fiber_worker(void *arg) { fiber_descend(*(int *)arg); }

static double time_fiber(int depth)
{
    static char main_asyncify[FIBER_STACK];
    char *c_stack = malloc(FIBER_STACK);
    char *asyncify_stack = malloc(FIBER_STACK);
    fiber_depth = depth;
    emscripten_fiber_init_from_current_context(&main_fiber, main_asyncify, sizeof main_asyncify);
    emscripten_fiber_init(&worker_fiber, fiber_worker, &fiber_depth, c_stack, FIBER_STACK, asyncify_stack,
                          FIBER_STACK);
    emscripten_fiber_swap(&main_fiber, &worker_fiber); /* recursed, first swap back */
    double t0 = emscripten_get_now();
    for (int i = 0; i < ROUNDS; i++)
        emscripten_fiber_swap(&main_fiber, &worker_fiber);
    double t1 = emscripten_get_now();
    /* The worker stays parked forever: its memory is leaked on purpose. */
    return (t1 - t0) * 1e6 / (2.0 * ROUNDS);
}

/* The best of a few runs: the first ones also measure V8 tiering up. */
static double best_of(double (*measure)(int), int depth)
{
    double best = measure(depth);
    for (int i = 0; i < 4; i++) {
        double t = measure(depth);
        best = t < best ? t : best;
    }
    return best;
}

int main(void)
{
    static const int depths[] = {0, 8, 32, 128};
    for (size_t i = 0; i < sizeof depths / sizeof *depths; i++)
        printf("libgreenlet %d %.1f\n", depths[i], best_of(time_greenlet, depths[i]));
    for (size_t i = 0; i < sizeof depths / sizeof *depths; i++)
        printf("emscripten_fiber_swap %d %.1f\n", depths[i], best_of(time_fiber, depths[i]));
    fflush(stdout);
    return 0;
}

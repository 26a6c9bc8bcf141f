/*
 * The page's benchmark: bench/wasm/switch_depth.c's own measurements
 * (time_greenlet and time_fiber: a worker recursed `depth` frames ping-pongs
 * with main, libgreenlet's switch against emscripten_fiber_swap in the same
 * module), one point per call so that the page can draw as it goes. Its
 * main() is kept, renamed, and not called.
 */
#define main switch_depth_main
#include "../bench/wasm/switch_depth.c"
#undef main

static double last_ns = -1;

/* Measures contender 0 (libgreenlet) or 1 (emscripten_fiber_swap) at depth
 * over round_trips round trips; bench_last_ns() then has the ns per switch
 * (-1 after bad arguments). Not a return value: each fiber swap unwinds to
 * JavaScript, so the call that JavaScript made returns early, and the rest
 * of the measurement runs in Emscripten's fiber trampoline before control
 * is back in JavaScript. */
EMSCRIPTEN_KEEPALIVE void bench_measure(int contender, int depth, int round_trips)
{
    last_ns = -1;
    if (contender < 0 || contender >= NCONTENDERS || depth < 0 || depth > 1024 || round_trips < 1)
        return;
    rounds = round_trips;
    last_ns = contenders[contender].measure(depth);
}

EMSCRIPTEN_KEEPALIVE double bench_last_ns(void)
{
    return last_ns;
}

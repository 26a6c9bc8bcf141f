/*
 * Wasm-only: greenlets used from exported C functions that JavaScript calls
 * (issue 3, item 2), with both toolchains. The main greenlet is the
 * export's caller; the first switch happens inside an export; a greenlet
 * suspended in one export call is resumed in a later one; every export's
 * return value reaches JavaScript (Emscripten's fiber API returns 0 there).
 * Driven by test_wasm_exports.mjs.
 */
#include <stdint.h>
#include <string.h>

#include "greenlet.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define EXPORT(name) EMSCRIPTEN_KEEPALIVE
#else
#define EXPORT(name) __attribute__((export_name(#name)))
#endif

/* The exports (prototypes for -Wmissing-prototypes). */
int gen_start(int start);
int gen_next(void);
const char *gen_state(void);
int gen_stop(void);
int ping_pong(int from);

#define VAL(n) ((void *)(intptr_t)(n))
#define NUM(p) ((int)(intptr_t)(p))

static greenlet_t *generator;

/* Yields start, start+1, ..., start+count-1, with a checked address-taken
 * buffer alive across every suspension. */
static void *count_up(void *arg)
{
    int start = NUM(arg);
    char pattern[64];
    memset(pattern, start & 0x7f, sizeof pattern);
    for (int i = 0; i < 8; i++) {
        greenlet_switch(greenlet_parent(greenlet_current()), VAL(start + i));
        if (greenlet_error(NULL) != 0)
            return NULL; /* killed */
        for (size_t k = 0; k < sizeof pattern; k++)
            if (pattern[k] != (char)(start & 0x7f))
                return VAL(-1000);
    }
    return VAL(-1); /* exhausted */
}

EXPORT(gen_start) int gen_start(int start)
{
    generator = greenlet_new(count_up, NULL, NULL);
    return NUM(greenlet_switch(generator, VAL(start)));
}

EXPORT(gen_next) int gen_next(void)
{
    return NUM(greenlet_switch(generator, NULL));
}

EXPORT(gen_state) const char *gen_state(void) { return greenlet_state_name(generator); }

EXPORT(gen_stop) int gen_stop(void)
{
    int rc = greenlet_kill(generator);
    greenlet_unref(generator);
    generator = NULL;
    return rc;
}

/* Ping-pong between two greenlets, deep in recursion on both sides, all
 * within one export call: the result must come back to JavaScript. */
static greenlet_t *ping_g, *pong_g;

static int recurse_then_switch(greenlet_t *to, int depth, int v)
{
    volatile int here = v;
    if (depth > 0)
        return recurse_then_switch(to, depth - 1, v) + (here - v);
    void *r = greenlet_switch(to, VAL(v + 1));
    return greenlet_error(NULL) != 0 ? -1 : NUM(r); /* -1: killed */
}

static void *pong(void *arg)
{
    int v = NUM(arg);
    while (v >= 0 && v < 1000)
        v = recurse_then_switch(ping_g, 5, v);
    return VAL(v);
}

static void *ping(void *arg)
{
    int v = NUM(arg);
    while (v >= 0 && v < 1000)
        v = recurse_then_switch(pong_g, 7, v);
    return VAL(v);
}

EXPORT(ping_pong) int ping_pong(int from)
{
    ping_g = greenlet_new(ping, NULL, NULL);
    pong_g = greenlet_new(pong, ping_g, NULL); /* pong's result goes to ping */
    int result = NUM(greenlet_switch(ping_g, VAL(from)));
    /* ping finished first; pong waits in its recursion until killed */
    int dead = greenlet_dead(ping_g) && greenlet_kill(pong_g) == 0 && greenlet_dead(pong_g);
    greenlet_unref(ping_g);
    greenlet_unref(pong_g);
    return dead ? result : -1;
}

/*
 * Wasm-only (Emscripten): main()'s greenlets sleep with emscripten_sleep(),
 * which unwinds main's frames to JavaScript and back, while another greenlet
 * stays suspended; then the program exits with code 7, which ctest expects.
 * It calls exit(): Emscripten 3.1.6 drops the return value of a main() that
 * slept, with or without greenlets (main's return value without a sleep is
 * kept: test_wasm_exit_code.c).
 */
#include <emscripten.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "greenlet.h"

#define VAL(n) ((void *)(intptr_t)(n))
#define NUM(p) ((int)(intptr_t)(p))

static void *sleeper(void *arg)
{
    int n = NUM(arg);
    for (int i = 0; i < 3; i++) {
        emscripten_sleep(1);
        n = NUM(greenlet_switch(greenlet_parent(greenlet_current()), VAL(n + 1)));
    }
    return VAL(n * 2);
}

static void *idle(void *arg)
{
    volatile int keep = NUM(arg);
    greenlet_switch(greenlet_parent(greenlet_current()), NULL);
    return VAL(keep);
}

int main(void)
{
    greenlet_t *waiting = greenlet_new(idle, NULL, NULL);
    greenlet_switch(waiting, VAL(5)); /* suspended through every sleep */
    greenlet_t *g = greenlet_new(sleeper, NULL, NULL);
    int v = NUM(greenlet_switch(g, VAL(0)));
    v = NUM(greenlet_switch(g, VAL(v + 10)));
    v = NUM(greenlet_switch(g, VAL(v + 10)));
    v = NUM(greenlet_switch(g, VAL(v + 10)));   /* (1+10+1+10+1+10) * 2 = 66 */
    int kept = NUM(greenlet_switch(waiting, NULL));
    printf("sleeper %d, idle %d\n", v, kept);
    int ok = v == 66 && kept == 5 && greenlet_dead(g) && greenlet_dead(waiting);
    greenlet_unref(g);
    greenlet_unref(waiting);
    exit(ok ? 7 : 1);
}

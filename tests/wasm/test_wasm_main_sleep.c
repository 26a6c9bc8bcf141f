/*
 * Wasm-only (Emscripten): main()'s greenlets sleep with emscripten_sleep(),
 * which unwinds main's frames to JavaScript and back, while another greenlet
 * stays suspended; and a trace hook sleeps at every switch, on both sides.
 * Then the program exits with code 7, which ctest expects.
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

/* Sleeps in the receiving greenlet: in main, and in a greenlet resumed
 * inside greenlet_switch() (Emscripten's unwind then passes through that call,
 * whose fast path is not instrumented, src/wasm/switch_inline.h). */
static int hook_sleeps;

static void sleepy_hook(int event, greenlet_t *origin, greenlet_t *target, void *userdata)
{
    (void)event, (void)origin, (void)target, (void)userdata;
    emscripten_sleep(0);
    hook_sleeps++;
}

static void *doubler(void *arg)
{
    for (void *v = arg; v != NULL;) /* NULL: killed */
        v = greenlet_switch(greenlet_parent(greenlet_current()), VAL(NUM(v) * 2));
    return NULL;
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

    greenlet_t *d = greenlet_new(doubler, NULL, NULL);
    greenlet_settrace(sleepy_hook, NULL);
    int a = NUM(greenlet_switch(d, VAL(1)));     /* 2 */
    int b = NUM(greenlet_switch(d, VAL(a + 1))); /* 6 */
    int c = NUM(greenlet_switch(d, VAL(b + 1))); /* 14 */
    greenlet_settrace(NULL, NULL);
    printf("doubler %d %d %d, hook slept %d times\n", a, b, c, hook_sleeps);
    ok = ok && a == 2 && b == 6 && c == 14 && hook_sleeps == 6 && greenlet_kill(d) == 0;
    greenlet_unref(d);
    exit(ok ? 7 : 1);
}

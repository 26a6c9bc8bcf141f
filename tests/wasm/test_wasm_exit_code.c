/*
 * Wasm-only: main()'s return value is the program's exit code after greenlet
 * switches, with both toolchains (Emscripten's fiber API loses it: every
 * fiber swap unwinds out to JavaScript). ctest expects exit code 42.
 */
#include <stdint.h>

#include "greenlet.h"

#define VAL(n) ((void *)(intptr_t)(n))
#define NUM(p) ((int)(intptr_t)(p))

static void *add_forever(void *arg)
{
    int sum = 0;
    for (;;) {
        sum += NUM(arg);
        arg = greenlet_switch(greenlet_parent(greenlet_current()), VAL(sum));
        if (greenlet_error(NULL) != 0)
            return NULL; /* killed by unref */
    }
}

int main(void)
{
    greenlet_t *g = greenlet_new(add_forever, NULL, NULL);
    int sum = 0;
    for (int i = 1; i <= 5; i++)
        sum = NUM(greenlet_switch(g, VAL(i))); /* 15 */
    greenlet_unref(g);
    return sum == 15 ? 42 : 1;
}

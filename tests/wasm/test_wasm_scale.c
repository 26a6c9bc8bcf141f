/*
 * Wasm-only: scale of the WebAssembly backend, whose stacks are heap blocks in
 * linear memory (natively: tests/native/test_scale.c). 300,000 greenlets at the
 * smallest stack size are suspended at once, which takes more than the 2 GiB
 * of linear memory Emscripten allows by default (the link settings allow
 * 4 GiB), then all resumed to completion. Prints the linear memory each costs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "greenlet.h"

#define COUNT 300000
#define VAL(n) ((void *)(uintptr_t)(n))

static greenlet_t *main_g;

static void *suspend_then_answer(void *arg)
{
    void *v = greenlet_switch(main_g, arg);
    return VAL((uintptr_t)v + 1);
}

static size_t linear_memory(void) { return __builtin_wasm_memory_size(0) * 65536u; }

int main(void)
{
    main_g = greenlet_current();
    greenlet_t **all = malloc(COUNT * sizeof *all);
    if (all == NULL)
        return 1;
    greenlet_attr_t attr = {1, NULL, NULL}; /* the smallest stacks */
    size_t before = linear_memory();
    for (size_t i = 0; i < COUNT; i++) {
        all[i] = greenlet_new(suspend_then_answer, NULL, &attr);
        if (all[i] == NULL || greenlet_switch(all[i], VAL(i)) != VAL(i)) {
            printf("FAIL: greenlet %zu could not start: %s\n", i, greenlet_error_message());
            return 1;
        }
    }
    size_t during = linear_memory();
    printf("%d greenlets suspended: linear memory %zu MiB, %zu bytes each\n", COUNT, during >> 20,
           (during - before) / COUNT);
    for (size_t i = 0; i < COUNT; i++) {
        if (greenlet_switch(all[i], VAL(i)) != VAL(i + 1) || !greenlet_dead(all[i])) {
            printf("FAIL: greenlet %zu did not finish with its answer\n", i);
            return 1;
        }
        greenlet_unref(all[i]);
    }
    free(all);
    printf("all %d resumed to completion\n", COUNT);
    return 0;
}

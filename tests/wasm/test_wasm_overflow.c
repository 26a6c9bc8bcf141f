/*
 * Wasm-only: overflow reports (R21) of the WebAssembly backend, whose checks
 * are its own (natively a guard page and SIGSEGV do it). Each run overflows
 * one area of a greenlet named after it and must die with a message naming
 * that greenlet (ctest matches the message):
 *   stack: frames with address-taken buffers exhaust its linear-memory C stack;
 *   save:  frames with many live values but no linear-memory frame fill the
 *          stack with their Asyncify save data (the wasm locals of every
 *          unwound frame, kept at the bottom of the greenlet's stack).
 * The argument picks the case. Every recursion level switches to main and
 * back, as a generator would.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "greenlet.h"

#define VAL(n) ((void *)(intptr_t)(n))

static greenlet_t *main_g;
static volatile int depth_limit = 1 << 30; /* never reached: the overflow comes first */

static int buffer_frames(int depth)
{
    volatile char buf[512]; /* in linear memory: address-taken */
    memset((char *)buf, depth & 0xff, sizeof buf);
    greenlet_switch(main_g, VAL(depth));
    if (depth >= depth_limit)
        return 0;
    return buf[depth % sizeof buf] + buffer_frames(depth + 1);
}

/* Many values live across the calls and no address taken: everything stays
 * in wasm locals, which an unwind writes to the save buffer. */
static __attribute__((noinline)) uint32_t local_frames(uint32_t a, uint32_t depth)
{
    uint32_t v[24];
    for (int i = 0; i < 24; i++)
        v[i] = a * (uint32_t)(i + 3) ^ depth;
    greenlet_switch(main_g, VAL(depth));
    if (depth >= (uint32_t)depth_limit)
        return 0;
    uint32_t r = local_frames(a + v[0], depth + 1);
    for (int i = 0; i < 24; i++)
        r += v[i] * (uint32_t)(i + 1);
    return r;
}

static void *run_stack(void *arg) { return VAL(buffer_frames((int)(intptr_t)arg)); }
static void *run_save(void *arg) { return VAL(local_frames(7, (uint32_t)(intptr_t)arg)); }

int main(int argc, char **argv)
{
    int save = argc > 1 && strcmp(argv[1], "save") == 0;
    main_g = greenlet_current();
    greenlet_attr_t attr = {16 * 1024, save ? "deep-save" : "deep-stack", NULL};
    greenlet_t *g = greenlet_new(save ? run_save : run_stack, NULL, &attr);
    for (int i = 0; i < 100000 && !greenlet_dead(g); i++)
        greenlet_switch(g, NULL);
    printf("no overflow was reported\n");
    return 1;
}

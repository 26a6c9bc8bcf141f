/*
 * Stack use for libgreenlet's C tests: touching a given amount of a
 * greenlet's stack (R20, R21), and a stack size nothing can map.
 */
#ifndef GREENLET_TESTS_CHECK_STACK_H
#define GREENLET_TESTS_CHECK_STACK_H

#include "check.h"

/* A stack size that no system can map (R13, R20): a quarter of a 64-bit
 * address space; on 32-bit targets (where a quarter, 1 GiB, may well map)
 * more than half of it. */
#define UNMAPPABLE_STACK_SIZE (sizeof(size_t) >= 8 ? SIZE_MAX / 4 : SIZE_MAX / 2 + 1)

/* Touches `bytes` of stack in one frame (a variable-length array, so that
 * sanitizer redzones add little) and checks it reads back; returns the
 * number of bytes that did not. For stack size tests (R20, R21). */
static inline int use_stack(size_t bytes)
{
    volatile unsigned char area[bytes];
    for (size_t i = bytes; i-- > 0;) /* from the top down, as a stack grows */
        area[i] = (unsigned char)(i * 31u);
    int bad = 0;
    for (size_t i = 0; i < bytes; i++)
        bad += area[i] != (unsigned char)(i * 31u);
    return bad;
}

/* A greenlet body using (size_t)arg bytes of its stack. */
static inline void *use_arg_bytes_of_stack(void *arg) { return VAL(use_stack((size_t)(uintptr_t)arg)); }

#endif /* GREENLET_TESTS_CHECK_STACK_H */

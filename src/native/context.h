/*
 * Native backend: a suspended context is a saved stack pointer (the registers
 * are on the stack itself, see switch_<arch>_<abi>.S). The other fields feed
 * the tools that must be told about stack switches (ASan, TSan, valgrind) and
 * the overflow report.
 */
#ifndef GREENLET_NATIVE_CONTEXT_H
#define GREENLET_NATIVE_CONTEXT_H

#include <stddef.h>

struct backend_context {
    void *sp;                  /* saved stack pointer while suspended */
    const char *name;          /* for the overflow report */
    const char *stack_lo;      /* usable stack [stack_lo, stack_hi); NULL for main until known */
    const char *stack_hi;
    const char *guard_lo;      /* guard pages [guard_lo, stack_lo) */
    void *sanitizer_fiber;     /* ASan: its fake-stack handle while suspended; TSan: its
                                  fiber (the two never build together) */
};

struct stack_region;

struct backend_stack_extra {
    char *guard_lo;            /* the slot: guard page(s), then the stack */
    struct stack_region *region; /* where the slot was carved (stack.c) */
    unsigned slot;
    unsigned valgrind_stack_id;
};

#include "switch_inline.h" /* glet_backend_switch() */

#endif /* GREENLET_NATIVE_CONTEXT_H */

/*
 * WebAssembly backend: a suspended greenlet is its Asyncify save data (the
 * wasm locals and call indexes of its unwound frames, written by Binaryen's
 * instrumentation at the bottom of its own C stack) plus its saved
 * __stack_pointer (its address-taken locals stay in its linear-memory C
 * stack, above that). See switch.c for the mechanism and docs/wasm.md for the
 * build flags it needs.
 */
#ifndef GREENLET_WASM_CONTEXT_H
#define GREENLET_WASM_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Binaryen's Asyncify data structure (wasm32): the buffer grows upward from
 * current; end is checked by the asyncify_* calls. */
struct asyncify_data {
    char *current;
    char *end;
};

struct backend_context {
    struct asyncify_data save; /* its save data [stack_lo, save.current), while unwinding or suspended */
    void *sp;                  /* __stack_pointer while suspended */
    char *stack_lo;            /* C stack [stack_lo, stack_hi), growing down */
    char *stack_hi;
    char *guard_lo;            /* canary zone [guard_lo, stack_lo) */
    const char *name;          /* for overflow reports */
    bool is_main;              /* runs on the original stack, never unwound by us */
    bool fresh;                /* started, never run: enter glet_greenlet_entry() from the top */
};

struct backend_stack_extra {
    void *block;               /* the one allocation: descriptor, guard, C stack */
    char *guard_lo;            /* canary-filled zone [guard_lo, stack lo) below the stack */
};

#include "switch_inline.h" /* glet_backend_switch() */

#endif /* GREENLET_WASM_CONTEXT_H */

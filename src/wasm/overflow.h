/*
 * Overflow detection (R21) for the two per-greenlet areas: the C stack (a
 * canary-filled guard zone below it, and the stack pointer, checked at every
 * switch and when the greenlet finishes) and the Asyncify save buffer (its
 * fill level, checked as soon as an unwind reaches the trampoline, before
 * Asyncify's own check would trap without saying which greenlet). Reports
 * are safe in any Asyncify state: they run no instrumented code.
 */
#ifndef GREENLET_WASM_OVERFLOW_H
#define GREENLET_WASM_OVERFLOW_H

#include <stddef.h>

#include "../backend.h"

/* Bytes of canary between a greenlet's save buffer and its C stack. */
#define GUARD_SIZE 1024u

void overflow_fill_guard(struct stack *s);

/* Aborts with a message naming c if its C stack overflowed. full: check the
 * whole guard (when the greenlet finishes) instead of its top words. */
void overflow_check_stack(const struct backend_context *c, const void *sp, bool full);

/* Aborts with a message naming c if its last unwind, which wrote used bytes,
 * overran its save buffer. */
void overflow_check_save(const struct backend_context *c, size_t used);

#endif /* GREENLET_WASM_OVERFLOW_H */

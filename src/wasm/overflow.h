/*
 * Overflow detection (R21) for a greenlet's C stack: a canary-filled guard
 * zone below it, and the stack pointer, checked at every switch and when the
 * greenlet finishes; and the save data an unwind writes at the stack's
 * bottom, checked as soon as the unwind reaches the trampoline, before
 * Asyncify's own check would trap without saying which greenlet. Reports are
 * safe in any Asyncify state: they run no instrumented code.
 */
#ifndef GREENLET_WASM_OVERFLOW_H
#define GREENLET_WASM_OVERFLOW_H

#include <stddef.h>

#include "../backend.h"
#include "overflow_inline.h"

/* Bytes of canary below a greenlet's C stack: at least this, an eighth of
 * the stack when that is more (stack.c). */
#define MIN_GUARD_SIZE 1024u

void glet_overflow_fill_guard(struct stack *s);

void glet_overflow_report_save(const struct backend_context *c) __attribute__((noreturn));

/* Aborts with a message naming c if its last unwind wrote its save data past
 * its room: the stack below its stack pointer, less SAVE_MARGIN. */
static inline void glet_overflow_check_save(const struct backend_context *c)
{
    if (c->save.current > (const char *)c->sp - SAVE_MARGIN)
        glet_overflow_report_save(c);
}

#endif /* GREENLET_WASM_OVERFLOW_H */

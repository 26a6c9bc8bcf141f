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
#include <stdint.h>

#include "../backend.h"

/* Bytes of canary below a greenlet's C stack: at least this, an eighth of
 * the stack when that is more (stack.c). */
#define MIN_GUARD_SIZE 1024u

/* Bytes kept free above the save data, below the stack pointer, for the
 * trampoline's calls after an unwind (switch.c). */
#define SAVE_MARGIN 512u

void glet_overflow_fill_guard(struct stack *s);

#define GLET_OVERFLOW_CANARY 0x9e3779b9u

void glet_overflow_report_stack(const struct backend_context *c) __attribute__((noreturn));
void glet_overflow_check_guard(const struct backend_context *c);

/* Aborts with a message naming c if its C stack overflowed. full: check the
 * whole guard (when the greenlet finishes) instead of the four words next to
 * the stack. Inline: it runs at every switch out of a greenlet. */
static inline void glet_overflow_check_stack(const struct backend_context *c, const void *sp, bool full)
{
    if (c->is_main)
        return;
    const uint32_t *top = (const uint32_t *)c->stack_lo;
    if ((const char *)sp < c->stack_lo || (const char *)sp > c->stack_hi ||
        top[-1] != GLET_OVERFLOW_CANARY || top[-2] != GLET_OVERFLOW_CANARY || top[-3] != GLET_OVERFLOW_CANARY ||
        top[-4] != GLET_OVERFLOW_CANARY)
        glet_overflow_report_stack(c);
    if (full)
        glet_overflow_check_guard(c);
}

void glet_overflow_report_save(const struct backend_context *c) __attribute__((noreturn));

/* Aborts with a message naming c if its last unwind wrote its save data past
 * its room: the stack below its stack pointer, less SAVE_MARGIN. */
static inline void glet_overflow_check_save(const struct backend_context *c)
{
    if (c->save.current > (const char *)c->sp - SAVE_MARGIN)
        glet_overflow_report_save(c);
}

#endif /* GREENLET_WASM_OVERFLOW_H */

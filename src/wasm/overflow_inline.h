/*
 * The overflow checks (overflow.h) that run at every switch, inline in the
 * switch (switch_inline.h). Needs struct backend_context (context.h).
 */
#ifndef GREENLET_WASM_OVERFLOW_INLINE_H
#define GREENLET_WASM_OVERFLOW_INLINE_H

#include <stdbool.h>
#include <stdint.h>

/* Bytes kept free above the save data, below the stack pointer, for the
 * trampoline's calls after an unwind (switch.c). */
#define SAVE_MARGIN 512u

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

#endif /* GREENLET_WASM_OVERFLOW_INLINE_H */

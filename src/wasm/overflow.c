/*
 * Overflow detection on WebAssembly (R21). Linear memory has no guard pages,
 * so the limits are checked in software where the backend gets control: at
 * every switch out of a greenlet, when an unwind reaches the trampoline, and
 * when a greenlet finishes. A C-stack overflow first runs into a canary zone
 * of an eighth of the stack (at least 1 KiB), which belongs to the greenlet,
 * so an overflow that does not jump past it is reported before any other
 * memory is used with a wrong value. Save data that outgrows the free part of
 * the stack writes upward into the greenlet's own frames, which are never
 * used again: it is reported right after the unwind.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "overflow.h"

void glet_overflow_fill_guard(struct stack *s)
{
    uint32_t *w = (uint32_t *)s->extra.guard_lo;
    for (size_t i = 0; i < (size_t)(s->lo - s->extra.guard_lo) / sizeof *w; i++)
        w[i] = GLET_OVERFLOW_CANARY;
}

void glet_overflow_report_stack(const struct backend_context *c)
{
    glet_report_overflow("stack", c->name, (size_t)(c->stack_hi - c->stack_lo), 0);
}

void glet_overflow_check_guard(const struct backend_context *c)
{
    const uint32_t *w = (const uint32_t *)c->guard_lo;
    for (size_t i = 0; i < (size_t)(c->stack_lo - c->guard_lo) / sizeof *w; i++) {
        if (w[i] != GLET_OVERFLOW_CANARY)
            glet_overflow_report_stack(c);
    }
}

void glet_overflow_report_save(const struct backend_context *c)
{
    /* needed: the frames, their save data, the margin */
    glet_report_overflow("stack", c->name, (size_t)(c->stack_hi - c->stack_lo),
                         (size_t)(c->stack_hi - (const char *)c->sp) + (size_t)(c->save.current - c->stack_lo) +
                             SAVE_MARGIN);
}

/*
 * Overflow detection on WebAssembly (R21). Linear memory has no guard pages,
 * so the limits are checked in software where the backend gets control: at
 * every switch out of a greenlet, when an unwind reaches the trampoline, and
 * when a greenlet finishes. A C-stack overflow first runs into a canary zone
 * and then into the greenlet's own save buffer, which is dead while the
 * greenlet runs: both belong to the greenlet, so the overflow is reported
 * before any other memory is used with a wrong value. A save-buffer overflow
 * writes upward into the same zone and is reported right after the unwind.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "overflow.h"

#define CANARY 0x9e3779b9u
#define QUICK_WORDS 4u /* words next to the stack checked at every switch */

void overflow_fill_guard(struct stack *s)
{
    uint32_t *w = (uint32_t *)s->extra.guard_lo;
    for (size_t i = 0; i < GUARD_SIZE / sizeof *w; i++)
        w[i] = CANARY;
}

static void report_stack(const struct backend_context *c)
{
    core_report_overflow("stack", c->name, (size_t)(c->stack_hi - c->stack_lo), 0);
}

void overflow_check_stack(const struct backend_context *c, const void *sp, bool full)
{
    if (c->is_main)
        return;
    if ((const char *)sp < c->stack_lo || (const char *)sp > c->stack_hi)
        report_stack(c);
    const uint32_t *top = (const uint32_t *)c->stack_lo;
    size_t words = full ? GUARD_SIZE / sizeof *top : QUICK_WORDS;
    for (size_t i = 1; i <= words; i++) {
        if (top[-(ptrdiff_t)i] != CANARY)
            report_stack(c);
    }
}

void overflow_check_save(const struct backend_context *c, size_t used)
{
    size_t size = (size_t)(c->save_hi - c->save_lo);
    if (used > size) /* its size is half the stack size */
        core_report_overflow("Asyncify save buffer", c->name, size, used);
}

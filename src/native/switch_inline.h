/*
 * Native backend: glet_backend_switch(), inline in the core's switch path
 * (backend.h), so that a switch makes one call, the assembly swap's, and its
 * return is the one the return-stack predictor expects.
 */
#ifndef GREENLET_NATIVE_SWITCH_INLINE_H
#define GREENLET_NATIVE_SWITCH_INLINE_H

#define GLET_BACKEND_SWITCH_INLINE 1

#include <stdbool.h>

#include "overflow.h"
#include "switch.h"
#include "tools.h"

static inline __attribute__((always_inline)) void glet_backend_switch(struct backend_context *from,
                                                                      struct backend_context *to, bool final)
{
    glet_overflow_set_running(to);
    tools_switch_leaving(from, to, final);
    glet_native_swap(&from->sp, to->sp);
    tools_switch_arrived(from);
}

#endif /* GREENLET_NATIVE_SWITCH_INLINE_H */

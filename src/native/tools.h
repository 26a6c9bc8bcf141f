/*
 * Telling ASan, TSan and valgrind about stack switches, behind small inline
 * helpers so that switch.c reads as the switch alone. Each helper compiles to
 * nothing unless its tool is in use (valgrind: when its header was found; its
 * requests cost a few instructions outside valgrind).
 */
#ifndef GREENLET_NATIVE_TOOLS_H
#define GREENLET_NATIVE_TOOLS_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"

#ifndef __has_feature
#define __has_feature(x) 0
#endif

#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#define GREENLET_ASAN 1
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#else
#define GREENLET_ASAN 0
#endif

#if defined(__SANITIZE_THREAD__) || __has_feature(thread_sanitizer)
#define GREENLET_TSAN 1
#include <sanitizer/tsan_interface.h>
#else
#define GREENLET_TSAN 0
#endif

#if defined(GREENLET_HAVE_VALGRIND_H)
#include <valgrind/valgrind.h>
#endif

/* ---- valgrind: where stacks are (stack.c) ---- */

static inline unsigned tools_stack_registered(const char *lo, const char *hi)
{
#if defined(GREENLET_HAVE_VALGRIND_H)
    return VALGRIND_STACK_REGISTER(lo, hi);
#else
    (void)lo, (void)hi;
    return 0;
#endif
}

static inline void tools_stack_deregistered(unsigned id)
{
#if defined(GREENLET_HAVE_VALGRIND_H)
    VALGRIND_STACK_DEREGISTER(id);
#else
    (void)id;
#endif
}

/* ---- ASan and TSan: switches between stacks (switch.c) ---- */

#if GREENLET_ASAN
/* The context switched away from, for the side that resumes: ASan tells it
 * the stack it came from, which is how main's bounds are learnt. */
extern _Thread_local struct backend_context *glet_tools_switching_from;
#endif

/* The thread's main context: the fiber TSan already runs it on. */
static inline void tools_main_context(struct backend_context *c)
{
    c->sanitizer_fiber = NULL;
#if GREENLET_TSAN
    c->sanitizer_fiber = __tsan_get_current_fiber();
#endif
}

/* A new context: a fiber of its own for TSan. */
static inline void tools_context_started(struct backend_context *c)
{
    c->sanitizer_fiber = NULL;
#if GREENLET_TSAN
    c->sanitizer_fiber = __tsan_create_fiber(0);
#endif
}

/* A finished context, before its stack is reused. */
static inline void tools_context_finished(struct backend_context *c)
{
#if GREENLET_ASAN
    /* The frames that were live at the final switch never returned: their
     * redzones would stay poisoned and fault the next user of this stack. */
    __asan_unpoison_memory_region(c->stack_lo, (size_t)(c->stack_hi - c->stack_lo));
#endif
#if GREENLET_TSAN
    __tsan_destroy_fiber(c->sanitizer_fiber);
#endif
    c->sanitizer_fiber = NULL;
}

/* Right before the stack changes from `from` to `to`. final: from never
 * resumes, so ASan drops its fake stack. */
static inline void tools_switch_leaving(struct backend_context *from, struct backend_context *to, bool final)
{
#if GREENLET_ASAN
    glet_tools_switching_from = from;
    __sanitizer_start_switch_fiber(final ? NULL : &from->sanitizer_fiber, to->stack_lo,
                                   (size_t)(to->stack_hi - to->stack_lo));
#else
    (void)from, (void)to, (void)final;
#endif
#if GREENLET_TSAN
    __tsan_switch_to_fiber(to->sanitizer_fiber, 0);
#endif
}

/* Right after the stack changed, in the context that now runs (self: NULL
 * for a context that starts). */
static inline void tools_switch_arrived(struct backend_context *self)
{
#if GREENLET_ASAN
    const void *from_bottom;
    size_t from_size;
    __sanitizer_finish_switch_fiber(self != NULL ? self->sanitizer_fiber : NULL, &from_bottom, &from_size);
    struct backend_context *from = glet_tools_switching_from;
    if (from->stack_lo == NULL) { /* main's stack: now we know it */
        from->stack_lo = from_bottom;
        from->stack_hi = (const char *)from_bottom + from_size;
    }
#else
    (void)self;
#endif
}

#endif /* GREENLET_NATIVE_TOOLS_H */

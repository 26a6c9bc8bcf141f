/*
 * Native backend: contexts and the switch (src/backend.h). The register work
 * is in switch_<arch>_<abi>.S; this file adds what tools need to hear.
 */
#include <stdint.h>

#include "../backend.h"
#include "overflow.h"
#include "switch.h"
#include "tools.h"

#if GREENLET_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* The context we switched away from, read by the side that resumes. */
static _Thread_local struct backend_context *switching_from;

void backend_context_init_main(struct backend_context *c)
{
    c->sp = NULL;
    c->name = NULL;
    c->stack_lo = c->stack_hi = c->guard_lo = NULL; /* learnt from ASan below, if in use */
    c->asan_fake_stack = NULL;
#if GREENLET_TSAN
    c->tsan_fiber = __tsan_get_current_fiber();
#else
    c->tsan_fiber = NULL;
#endif
    c->valgrind_stack_id = 0;
    overflow_set_running(c);
}

/* Every new context starts here, on its own stack. */
static void native_start(void)
{
#if GREENLET_ASAN
    const void *from_bottom;
    size_t from_size;
    __sanitizer_finish_switch_fiber(NULL, &from_bottom, &from_size);
    if (switching_from->stack_lo == NULL) { /* the main stack: now we know it */
        switching_from->stack_lo = from_bottom;
        switching_from->stack_hi = (const char *)from_bottom + from_size;
    }
#endif
    core_greenlet_entry();
}

void backend_context_start(struct backend_context *c, struct stack *s, const char *name)
{
    c->name = name;
    c->stack_lo = s->lo;
    c->stack_hi = s->hi;
    c->guard_lo = s->extra.guard_lo;
    c->asan_fake_stack = NULL;
    c->valgrind_stack_id = s->extra.valgrind_stack_id;
#if GREENLET_TSAN
    c->tsan_fiber = __tsan_create_fiber(0);
#else
    c->tsan_fiber = NULL;
#endif
    c->sp = greenlet_native_make(s->hi, native_start);
}

void backend_switch(struct backend_context *from, struct backend_context *to, bool final)
{
    switching_from = from;
    overflow_set_running(to);
#if GREENLET_ASAN
    __sanitizer_start_switch_fiber(final ? NULL : &from->asan_fake_stack, to->stack_lo,
                                   (size_t)(to->stack_hi - to->stack_lo));
#else
    (void)final;
#endif
#if GREENLET_TSAN
    __tsan_switch_to_fiber(to->tsan_fiber, 0);
#endif
    greenlet_native_swap(&from->sp, to->sp);
#if GREENLET_ASAN
    const void *from_bottom;
    size_t from_size;
    __sanitizer_finish_switch_fiber(from->asan_fake_stack, &from_bottom, &from_size);
    if (switching_from->stack_lo == NULL) {
        switching_from->stack_lo = from_bottom;
        switching_from->stack_hi = (const char *)from_bottom + from_size;
    }
#endif
}

void backend_context_finish(struct backend_context *c)
{
#if GREENLET_ASAN
    /* The frames that were live at the final switch never returned: their
     * redzones would stay poisoned and fault the next user of this stack. */
    __asan_unpoison_memory_region(c->stack_lo, (size_t)(c->stack_hi - c->stack_lo));
#endif
#if GREENLET_TSAN
    __tsan_destroy_fiber(c->tsan_fiber);
#endif
    c->tsan_fiber = NULL;
    c->sp = NULL;
}

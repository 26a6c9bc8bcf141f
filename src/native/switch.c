/*
 * Native backend: contexts and the switch (src/backend.h). The switch itself
 * is inline in the core's switch path (switch_inline.h); the register work is
 * in switch_<arch>_<abi>.S (switch.h); the tools that must hear of a switch
 * are told in tools.h.
 */
#include "../backend.h"
#include "overflow.h"
#include "stack_memory.h"
#include "switch.h"
#include "tools.h"

#if GREENLET_ASAN
_Thread_local struct backend_context *glet_tools_switching_from;
#endif

void glet_backend_context_init_main(struct backend_context *c)
{
    c->sp = NULL;
    c->name = NULL;
    c->stack_lo = c->stack_hi = c->guard_lo = NULL; /* under ASan, learnt at its first switch */
    tools_main_context(c);
    glet_overflow_set_running(c);
}

/* Every new context starts here, on its own stack. */
static void native_start(void)
{
    tools_switch_arrived(NULL);
    glet_greenlet_entry();
}

void glet_backend_context_start(struct backend_context *c, struct stack *s, const char *name)
{
    c->name = name;
    c->stack_lo = s->lo;
    c->stack_hi = s->hi;
    c->guard_lo = s->extra.guard_lo;
    tools_context_started(c);
    struct native_stack_limits limits = {s->extra.guard_lo, s->lo, glet_stack_memory_guarantee()};
    c->sp = glet_native_make(s->hi, native_start, &limits);
}

void glet_backend_context_finish(struct backend_context *c)
{
    tools_context_finished(c);
    c->sp = NULL;
}

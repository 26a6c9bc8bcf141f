/*
 * Portable switch: the two routines of switch.h written with POSIX ucontext
 * (getcontext/makecontext/swapcontext) instead of assembly.
 *
 * Why it is only the fallback: it runs on any architecture whose libc has
 * ucontext (chosen automatically where no switch_<arch>_<abi>.S exists, or on
 * purpose with GREENLET_BACKEND=ucontext), but it is several times slower:
 * every swapcontext saves and restores the signal mask with a sigprocmask
 * system call, and copies the whole register file, FP environment included.
 * A side effect of that: the signal mask becomes per greenlet.
 *
 * A suspended context's "stack pointer" is the address of a ucontext_t on
 * its own stack: for a new context, near the top of its stack (make); for a
 * running one, a local of the swap call that suspends it, which stays alive
 * exactly as long as that call has not returned, i.e. while it is suspended.
 */
#include <stdint.h>
#include <stdlib.h>
#include <ucontext.h>

#include "../backend.h"
#include "switch.h"

void *glet_native_make(void *stack_top, void (*start)(void), const struct native_stack_limits *limits)
{
    (void)limits;
    /* The context record sits at the top of the new stack, 64-byte aligned;
     * the new context's frames grow down from just below it. */
    uintptr_t top = (uintptr_t)stack_top & ~(uintptr_t)63;
    ucontext_t *uc = (ucontext_t *)((top - sizeof(ucontext_t)) & ~(uintptr_t)63);

    /* getcontext captures the CURRENT FP control state (x87/SSE, FPCR, ...),
     * which setcontext restores: the new greenlet inherits its starter's (R22). */
    if (getcontext(uc) != 0)
        abort(); /* cannot fail on Linux: it only reads registers */

    /* makecontext uses only the top of the area (ss_sp + ss_size). We do not
     * know the stack's bottom here, so we describe the part that surely exists
     * (every stack has at least the minimum size); only ASan's swapcontext
     * interceptor reads the size, to clear shadow memory. */
    size_t used = (size_t)((char *)stack_top - (char *)uc);
    size_t min = glet_backend_min_stack_size();
    size_t below = min > used ? min - used : 0;
    uc->uc_stack.ss_sp = (char *)uc - below;
    uc->uc_stack.ss_size = below;
    uc->uc_stack.ss_flags = 0;
    uc->uc_link = NULL; /* start() never returns */
    makecontext(uc, start, 0);
    return uc;
}

void glet_native_swap(void **save_sp, void *load_sp)
{
    ucontext_t here; /* our registers while suspended: lives in this frame */
    /* swapcontext does not fill uc_stack; a tool reading it (ASan's
     * interceptor) when someone resumes us must see "unknown", not garbage. */
    here.uc_stack.ss_sp = NULL;
    here.uc_stack.ss_size = 0;
    here.uc_stack.ss_flags = 0;
    *save_sp = &here;
    if (swapcontext(&here, (ucontext_t *)load_sp) != 0)
        abort(); /* cannot fail on Linux with a context made above */
}

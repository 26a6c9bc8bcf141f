/*
 * Stack overflow detection (R21). A greenlet that overflows its stack touches
 * the guard page below it and gets SIGSEGV, which must be handled on another
 * stack: each thread gets an alternate signal stack. The handler reports a
 * hit on the running greenlet's guard and aborts; any other fault goes to the
 * handler that was installed before ours, or to the default action.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../backend.h"
#include "greenlet.h"
#include "overflow.h"

#define ALT_STACK_SIZE (64u * 1024u)
/* A frame larger than the guard can jump past it: treat faults this far
 * below the guard as an overflow of the running greenlet too. */
#define GUARD_REACH (64u * 1024u)

_Thread_local struct backend_context *glet_overflow_running;
static _Thread_local void *alt_stack; /* ours, if we installed one */
static struct sigaction previous_segv, previous_bus;
static atomic_flag handler_installed = ATOMIC_FLAG_INIT;

static void pass_on(int sig, siginfo_t *info, void *uc)
{
    const struct sigaction *prev = sig == SIGBUS ? &previous_bus : &previous_segv;
    if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction != NULL) {
        prev->sa_sigaction(sig, info, uc);
    } else if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
        prev->sa_handler(sig);
    } else {
        /* Default action: uninstall ourselves; the faulting instruction runs
         * again and the fault takes its ordinary course. */
        signal(sig, SIG_DFL);
    }
}

static void on_fault(int sig, siginfo_t *info, void *uc)
{
    const struct backend_context *c = glet_overflow_running;
    const char *addr = info->si_addr;
    if (c != NULL && c->guard_lo != NULL && addr < c->stack_lo &&
        (uintptr_t)addr + GUARD_REACH >= (uintptr_t)c->guard_lo) {
        signal(SIGABRT, SIG_DFL); /* the report aborts: let it end the process */
        glet_report_overflow("stack", c->name, (size_t)(c->stack_hi - c->stack_lo), 0);
    }
    pass_on(sig, info, uc);
}

static void install_handler(void)
{
    if (atomic_flag_test_and_set(&handler_installed))
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previous_segv);
    sigaction(SIGBUS, &sa, &previous_bus);
}

int glet_overflow_thread_init(void)
{
    install_handler();
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && !(current.ss_flags & SS_DISABLE))
        return 0; /* the thread already has one: use it */
    void *mem = mmap(NULL, ALT_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return GREENLET_ENOMEM;
    stack_t ss = {.ss_sp = mem, .ss_size = ALT_STACK_SIZE, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) {
        munmap(mem, ALT_STACK_SIZE);
        return 0; /* overflows would then die without our message, not corrupt */
    }
    alt_stack = mem;
    return 0;
}

void glet_overflow_thread_exit(void)
{
    glet_overflow_running = NULL;
    if (alt_stack == NULL)
        return;
    stack_t ss = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    sigaltstack(&ss, NULL);
    munmap(alt_stack, ALT_STACK_SIZE);
    alt_stack = NULL;
}

/*
 * Stack overflow detection on Windows (R21). A greenlet's stack grows into
 * its guard (stack_memory_win32.c) and Windows raises STATUS_STACK_OVERFLOW,
 * leaving the guarantee's pages for the handlers; a frame that jumps past
 * the guard page faults with an access violation below the stack instead. A
 * vectored handler, first in line, reports either one on the running
 * greenlet's guard and ends the process; any other exception goes on to the
 * next handler (C++ and SEH handlers, the debugger, the default).
 */
#include <windows.h>
#include <stdint.h>

#include "../backend.h"
#include "overflow.h"

/* A frame larger than the guard can jump past it: treat faults this far
 * below the guard as an overflow of the running greenlet too. */
#define GUARD_REACH (64u * 1024u)

_Thread_local struct backend_context *glet_overflow_running;
static INIT_ONCE handler_once = INIT_ONCE_STATIC_INIT;

static LONG CALLBACK on_exception(EXCEPTION_POINTERS *e)
{
    const struct backend_context *c = glet_overflow_running;
    const EXCEPTION_RECORD *rec = e->ExceptionRecord;
    const char *addr;
    if (rec->ExceptionCode == EXCEPTION_STACK_OVERFLOW)
        addr = (const char *)e->ContextRecord->Rsp;
    else if (rec->ExceptionCode == EXCEPTION_ACCESS_VIOLATION && rec->NumberParameters >= 2)
        addr = (const char *)rec->ExceptionInformation[1];
    else
        return EXCEPTION_CONTINUE_SEARCH;
    if (c != NULL && c->guard_lo != NULL && addr < c->stack_lo &&
        (uintptr_t)addr + GUARD_REACH >= (uintptr_t)c->guard_lo)
        glet_report_overflow("stack", c->name, (size_t)(c->stack_hi - c->stack_lo), 0);
    return EXCEPTION_CONTINUE_SEARCH;
}

static BOOL CALLBACK install_handler(INIT_ONCE *once, void *param, void **context)
{
    (void)once, (void)param, (void)context;
    AddVectoredExceptionHandler(1, on_exception);
    return TRUE;
}

int glet_overflow_thread_init(void)
{
    InitOnceExecuteOnce(&handler_once, install_handler, NULL, NULL);
    return 0;
}

void glet_overflow_thread_exit(void) { glet_overflow_running = NULL; }

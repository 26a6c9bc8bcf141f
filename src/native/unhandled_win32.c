/*
 * Windows: an exception nothing in a greenlet handles. A thread's first
 * frame (and a fiber's) hands such an exception to UnhandledExceptionFilter,
 * which runs the program's filter, a crash reporter or a debugger; a
 * greenlet's first frame is our start stub (switch_x86_64_ms.S), whose
 * exception handler this is, so a greenlet behaves like a thread here.
 */
#include <windows.h>

EXCEPTION_DISPOSITION glet_native_start_handler(EXCEPTION_RECORD *rec, void *frame, CONTEXT *context,
                                                void *dispatch);

EXCEPTION_DISPOSITION glet_native_start_handler(EXCEPTION_RECORD *rec, void *frame, CONTEXT *context,
                                                void *dispatch)
{
    (void)frame, (void)dispatch;
    if (rec->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND))
        return ExceptionContinueSearch;
    EXCEPTION_POINTERS pointers = {rec, context};
    switch (UnhandledExceptionFilter(&pointers)) {
    case EXCEPTION_CONTINUE_EXECUTION:
        return ExceptionContinueExecution;
    case EXCEPTION_EXECUTE_HANDLER: /* what a thread's first frame does then: end the process */
        TerminateProcess(GetCurrentProcess(), rec->ExceptionCode);
        return ExceptionContinueSearch; /* not reached */
    default: /* the raiser decides: a C++ throw calls std::terminate() */
        return ExceptionContinueSearch;
    }
}

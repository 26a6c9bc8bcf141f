/* The platform layer for Windows threads: thread-exit hook, thread ids, and
 * the lock that guards parent links. No pthreads.
 *
 * The thread-exit hook is a TLS callback: the loader calls it with
 * DLL_THREAD_DETACH on a thread that ends, in a program and in a DLL alike,
 * before the C runtime's own thread-local cleanup (its callbacks come later
 * in the .CRT$XL* order), and not on the thread that ends the process, as
 * POSIX thread-key destructors do not run at exit(). The hook's argument is
 * kept in a native TLS slot, which nothing clears before us. */
#include <windows.h>
#include <stdatomic.h>

#include "internal.h"

static DWORD exit_slot = TLS_OUT_OF_INDEXES;
static INIT_ONCE exit_slot_once = INIT_ONCE_STATIC_INIT;
static void (*_Atomic exit_hook)(void *); /* every thread stores the same function */

static BOOL CALLBACK make_exit_slot(INIT_ONCE *once, void *param, void **context)
{
    (void)once, (void)param, (void)context;
    exit_slot = TlsAlloc();
    return TRUE;
}

static void NTAPI on_thread_detach(void *module, DWORD reason, void *reserved)
{
    (void)module, (void)reserved;
    if (reason != DLL_THREAD_DETACH || exit_slot == TLS_OUT_OF_INDEXES)
        return;
    void *arg = TlsGetValue(exit_slot);
    if (arg == NULL)
        return;
    TlsSetValue(exit_slot, NULL);
    atomic_load_explicit(&exit_hook, memory_order_relaxed)(arg);
}

/* The loader's list of TLS callbacks is the .CRT$XLA..XLZ sections, in name
 * order; the C runtime's start at XLC. (Its TLS directory, which points the
 * loader at the list, is in every MinGW program and DLL: its start-up code
 * uses it.) */
__attribute__((section(".CRT$XLB"), used)) static const PIMAGE_TLS_CALLBACK glet_thread_detach_callback =
    on_thread_detach;

void glet_platform_on_thread_exit(void (*fn)(void *), void *arg)
{
    atomic_store_explicit(&exit_hook, fn, memory_order_relaxed);
    InitOnceExecuteOnce(&exit_slot_once, make_exit_slot, NULL, NULL);
    if (exit_slot != TLS_OUT_OF_INDEXES)
        TlsSetValue(exit_slot, arg);
}

long glet_platform_thread_os_id(void) { return (long)GetCurrentThreadId(); }

static SRWLOCK parent_links = SRWLOCK_INIT;

void glet_platform_parent_links_lock(void) { AcquireSRWLockExclusive(&parent_links); }

void glet_platform_parent_links_unlock(void) { ReleaseSRWLockExclusive(&parent_links); }

void glet_platform_yield(void) { SwitchToThread(); }

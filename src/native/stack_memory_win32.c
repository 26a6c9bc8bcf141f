/*
 * Stack memory on Windows (stack_memory.h). A region is reserved address
 * space; a slot is committed whole when first carved, so its pages cost
 * commit charge but no memory until touched, and the pool reuses it without
 * a system call. Below the usable stack, its guard:
 *
 *     | hard page | guarantee (2 pages) | PAGE_GUARD page | usable stack ...
 *     ^ DeallocationStack                                 ^ StackLimit
 *
 * The greenlet's Thread Information Block (switch_x86_64_ms.S) names these
 * bounds, so Windows treats a touch of the PAGE_GUARD page as stack growth:
 * it commits the guarantee and raises STATUS_STACK_OVERFLOW with that much
 * stack left for the handler that reports it (overflow_win32.c). The hard
 * page is never committed: nothing runs past it.
 */
#include <windows.h>
#include <psapi.h>
#include <stdint.h>

#include "stack_memory.h"

#define PAGE 4096u
#define GUARANTEE (2u * PAGE)

size_t glet_stack_memory_page_size(void) { return PAGE; }

size_t glet_stack_memory_guard_size(void) { return PAGE + GUARANTEE + PAGE; }

unsigned glet_stack_memory_guarantee(void) { return GUARANTEE; }

/* Reserved read-write, as Windows reserves a thread's stack: the pages the
 * system commits when the stack grows into its guarantee take this
 * protection (Wine's, at least; uncommitted, they fault either way). */
char *glet_stack_memory_reserve(size_t bytes) { return VirtualAlloc(NULL, bytes, MEM_RESERVE, PAGE_READWRITE); }

void glet_stack_memory_unreserve(char *base, size_t bytes)
{
    (void)bytes;
    VirtualFree(base, 0, MEM_RELEASE);
}

size_t glet_stack_memory_prepare(char *lo, size_t stride, size_t count, const char **why)
{
    (void)count;
    size_t guard = glet_stack_memory_guard_size();
    if (VirtualAlloc(lo + guard, stride - guard, MEM_COMMIT, PAGE_READWRITE) == NULL) {
        *why = "out of commit charge for a stack (VirtualAlloc MEM_COMMIT failed)";
        return 0;
    }
    if (VirtualAlloc(lo + guard - PAGE, PAGE, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD) == NULL) {
        VirtualFree(lo + guard, stride - guard, MEM_DECOMMIT);
        *why = "its guard page could not be committed (VirtualAlloc PAGE_GUARD failed)";
        return 0;
    }
    return 1;
}

void glet_stack_memory_release(char *lo, size_t stride, size_t count)
{
    size_t guard = glet_stack_memory_guard_size();
    for (size_t i = 0; i < count; i++) /* the usable part of each: the guards are not committed */
        VirtualAlloc(lo + i * stride + guard, stride - guard, MEM_RESET, PAGE_READWRITE);
}

size_t glet_stack_memory_resident(const char *lo, size_t len)
{
    size_t resident = 0;
    for (size_t offset = 0; offset < len; offset += PAGE) {
        PSAPI_WORKING_SET_EX_INFORMATION info = {.VirtualAddress = (void *)(lo + offset)};
        if (!QueryWorkingSetEx(GetCurrentProcess(), &info, sizeof info))
            return SIZE_MAX;
        resident += info.VirtualAttributes.Valid ? PAGE : 0;
    }
    return resident;
}

const char *glet_stack_memory_guard_kind(void) { return "reserved"; }

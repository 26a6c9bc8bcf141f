/*
 * Stack memory on POSIX systems (stack_memory.h): regions are mmap'd without
 * a swap reservation, guards are installed by stack_guard.c, and free stacks
 * give their pages back with madvise(MADV_DONTNEED), which guards survive.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stack_guard.h"
#include "stack_memory.h"

#ifndef MAP_STACK
#define MAP_STACK 0
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

size_t glet_stack_memory_page_size(void)
{
    static atomic_size_t cached; /* threads may race to fill it, with the same value */
    size_t size = atomic_load_explicit(&cached, memory_order_relaxed);
    if (size == 0) {
        long p = sysconf(_SC_PAGESIZE);
        size = p > 0 ? (size_t)p : 4096u;
        atomic_store_explicit(&cached, size, memory_order_relaxed);
    }
    return size;
}

size_t glet_stack_memory_guard_size(void) { return glet_stack_memory_page_size(); }

unsigned glet_stack_memory_guarantee(void) { return 0; }

char *glet_stack_memory_reserve(size_t bytes)
{
    char *base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                      -1, 0);
    if (base == MAP_FAILED)
        return NULL;
#ifdef MADV_NOHUGEPAGE
    madvise(base, bytes, MADV_NOHUGEPAGE); /* one touched byte must not commit 2 MiB */
#endif
    return base;
}

void glet_stack_memory_unreserve(char *base, size_t bytes) { munmap(base, bytes); }

size_t glet_stack_memory_prepare(char *lo, size_t stride, size_t count, const char **why)
{
    return glet_stack_guard_install(lo, stride, count, glet_stack_memory_guard_size(), why);
}

void glet_stack_memory_release(char *lo, size_t stride, size_t count)
{
    madvise(lo, stride * count, MADV_DONTNEED); /* one call for the run, guards included */
}

size_t glet_stack_memory_resident(const char *lo, size_t len)
{
    size_t page = glet_stack_memory_page_size(), pages = len / page, resident = 0;
    unsigned char *in_core = malloc(pages);
    if (in_core == NULL)
        return SIZE_MAX;
    if (mincore((void *)lo, pages * page, in_core) != 0) {
        free(in_core);
        return SIZE_MAX;
    }
    for (size_t i = 0; i < pages; i++)
        resident += (in_core[i] & 1) * page;
    free(in_core);
    return resident;
}

const char *glet_stack_memory_guard_kind(void) { return glet_stack_guard_kind(); }

/*
 * Native stacks: one mmap each, with guard pages at the low end (stacks grow
 * down) so that an overflow faults instead of corrupting memory (R21). The
 * descriptor lives at the top of the mapping: a stack costs no malloc.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../backend.h"
#include "tools.h"

#ifndef MAP_STACK
#define MAP_STACK 0
#endif

#define DEFAULT_STACK_SIZE (256u * 1024u)
#define MIN_STACK_SIZE (16u * 1024u)

size_t backend_default_stack_size(void) { return DEFAULT_STACK_SIZE; }
size_t backend_min_stack_size(void) { return MIN_STACK_SIZE; }

static size_t page_size(void)
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

struct stack *backend_stack_map(size_t size)
{
    size_t page = page_size();
    size_t guard = page;
    size_t descriptor = (sizeof(struct stack) + 63u) & ~(size_t)63u;
    if (size > SIZE_MAX / 2 - guard - descriptor - page)
        return NULL;
    size_t usable = (size + descriptor + page - 1) & ~(page - 1);
    size_t total = guard + usable;

    char *mapping = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (mapping == MAP_FAILED)
        return NULL;
    if (mprotect(mapping, guard, PROT_NONE) != 0) {
        munmap(mapping, total);
        return NULL;
    }
    struct stack *s = (struct stack *)(mapping + total - descriptor);
    s->lo = mapping + guard;
    s->hi = (char *)s;
    s->size = size;
    s->next = NULL;
    s->extra.mapping = mapping;
    s->extra.mapping_size = total;
    s->extra.valgrind_stack_id = TOOLS_VALGRIND_REGISTER(s->lo, s->hi);
    return s;
}

void backend_stack_unmap(struct stack *s)
{
    TOOLS_VALGRIND_DEREGISTER(s->extra.valgrind_stack_id);
    munmap(s->extra.mapping, s->extra.mapping_size);
}

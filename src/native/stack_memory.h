/*
 * The operating system's part of native stacks: stack.c carves slots out of
 * large reservations and keeps the books; these calls reserve, guard and give
 * back the memory. stack_memory_posix.c (mmap, guard pages: stack_guard.c)
 * or stack_memory_win32.c (VirtualAlloc).
 */
#ifndef GREENLET_NATIVE_STACK_MEMORY_H
#define GREENLET_NATIVE_STACK_MEMORY_H

#include <stddef.h>

size_t glet_stack_memory_page_size(void);

/* Bytes at the bottom of every slot that are not stack: they fault (R21). */
size_t glet_stack_memory_guard_size(void);

/* Bytes of that guard kept for the handler that reports an overflow (the
 * Thread Information Block's GuaranteedStackBytes on Windows; 0 elsewhere). */
unsigned glet_stack_memory_guarantee(void);

/* Address space for a region of slots, nothing usable yet; NULL on failure. */
char *glet_stack_memory_reserve(size_t bytes);
void glet_stack_memory_unreserve(char *base, size_t bytes);

/* Makes the slot at lo usable, with its guard, the first time it is carved;
 * where it is cheap, up to count - 1 further slots too, each stride bytes
 * above the one before. Returns how many slots it prepared (at least 1), or
 * 0 with *why set to a static sentence. */
size_t glet_stack_memory_prepare(char *lo, size_t stride, size_t count, const char **why);

/* The count neighbouring prepared slots from lo are free: give their pages
 * back (their contents are not needed; they stay prepared). */
void glet_stack_memory_release(char *lo, size_t stride, size_t count);

/* Bytes of [lo, lo + len) in memory, or SIZE_MAX when that cannot be told. */
size_t glet_stack_memory_resident(const char *lo, size_t len);

/* How guards are made (for the tests): "madvise", "mprotect" or "" before the
 * first one (Linux, see stack_guard.c); "reserved" on Windows. */
const char *glet_stack_memory_guard_kind(void);

#endif

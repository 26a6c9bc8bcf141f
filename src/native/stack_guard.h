/* Guard pages below native stacks (R21): see stack_guard.c. */
#ifndef GREENLET_NATIVE_STACK_GUARD_H
#define GREENLET_NATIVE_STACK_GUARD_H

#include <stddef.h>

/* Makes [lo, lo + len) (page aligned, private anonymous memory) fault on any
 * access, and where it is cheap the guards of up to count - 1 further stacks
 * too, each stride bytes above the one before. Returns how many guards it
 * installed (at least 1), or 0 with *why set to a static sentence. */
size_t glet_stack_guard_install(char *lo, size_t stride, size_t count, size_t len, const char **why);

/* How guards are made in this process: "madvise" (MADV_GUARD_INSTALL: no
 * memory mapping), "mprotect" (a mapping of its own each), or "" before the
 * first guard. */
const char *glet_stack_guard_kind(void);

#endif

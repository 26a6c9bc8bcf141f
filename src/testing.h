/*
 * Fault injection for tests (not part of the public API; in the static
 * library only, since the shared one exports greenlet_* alone).
 */
#ifndef GREENLET_TESTING_H
#define GREENLET_TESTING_H

#include <stdbool.h>
#include <stddef.h>

/* After `after` more successful allocations, the core's allocations fail
 * (R13 out of memory). -1 turns failures off. */
void glet_testing_fail_allocations(long after);

/* Native backend only (src/native/stack.c), on the calling thread's stacks:
 * address lies in slot *slot of a region of *slots; false if in none. */
bool glet_testing_stack_place(const void *address, size_t *slot, size_t *slots);
/* Bytes of guarded, never carved slots in the region that holds address:
 * how far ahead of use guards were installed. */
size_t glet_testing_stack_guarded_ahead(const void *address);
/* How this process guards stacks: "madvise", "mprotect", or "" before the
 * first stack. */
const char *glet_testing_stack_guards(void);
/* Bytes of the calling thread's stack regions that are resident (mincore),
 * SIZE_MAX if that cannot be learnt. */
size_t glet_testing_stack_resident_bytes(void);

#endif

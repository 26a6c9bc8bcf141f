/*
 * Fault injection for tests (not part of the public API; in the static
 * library only, since the shared one exports greenlet_* alone).
 */
#ifndef GREENLET_TESTING_H
#define GREENLET_TESTING_H

/* After `after` more successful allocations, the core's allocations fail
 * (R13 out of memory). -1 turns failures off. */
void testing_fail_allocations(long after);

#endif

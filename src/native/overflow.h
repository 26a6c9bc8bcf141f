/* Stack overflow detection for native stacks (R21): see overflow_posix.c and
 * overflow_win32.c. */
#ifndef GREENLET_NATIVE_OVERFLOW_H
#define GREENLET_NATIVE_OVERFLOW_H

struct backend_context;

/* The context running on this thread, for the fault handler. */
extern _Thread_local struct backend_context *glet_overflow_running;

static inline void glet_overflow_set_running(struct backend_context *c) { glet_overflow_running = c; }

/* Per thread: the handler (once per process) and, on POSIX, an alternate
 * signal stack.
 * Returns 0 or GREENLET_ENOMEM. */
int glet_overflow_thread_init(void);
void glet_overflow_thread_exit(void);

#endif

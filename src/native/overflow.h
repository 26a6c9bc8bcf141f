/* Stack overflow detection for native stacks (R21): see overflow.c. */
#ifndef GREENLET_NATIVE_OVERFLOW_H
#define GREENLET_NATIVE_OVERFLOW_H

struct backend_context;

/* The context running on this thread, for the SIGSEGV handler. */
extern _Thread_local struct backend_context *overflow_running;

static inline void overflow_set_running(struct backend_context *c) { overflow_running = c; }

/* Per thread: the handler (once per process) and an alternate signal stack.
 * Returns 0 or GREENLET_ENOMEM. */
int overflow_thread_init(void);
void overflow_thread_exit(void);

#endif

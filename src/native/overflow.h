/* Stack overflow detection for native stacks (R21): see overflow.c. */
#ifndef GREENLET_NATIVE_OVERFLOW_H
#define GREENLET_NATIVE_OVERFLOW_H

struct backend_context;

/* Records which context runs on this thread, for the SIGSEGV handler. */
void overflow_set_running(struct backend_context *c);

#endif

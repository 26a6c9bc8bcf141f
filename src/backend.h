/*
 * The interface a backend implements: stacks, contexts and the switch.
 *
 * The core (the .c files in src/) calls only these functions and never asks which backend
 * it is built with. Each backend lives in its own folder (src/native/,
 * src/wasm/) and provides a "context.h" there, found through the include path
 * the build selects, defining struct backend_context: whatever a suspended
 * greenlet needs to be resumed.
 *
 * Life of a context:
 *   main greenlet:  glet_backend_context_init_main(c)           (it already runs)
 *   other greenlet: glet_backend_context_start(c, stack, name)  then the first
 *                   glet_backend_switch() into c calls glet_greenlet_entry() on
 *                   that stack; it never returns, and leaves with a final
 *                   glet_backend_switch(c, next, true), after which
 *                   glet_backend_context_finish(c) runs in the receiver and the
 *                   stack goes back to the pool.
 */
#ifndef GREENLET_BACKEND_H
#define GREENLET_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h" /* struct backend_context, struct backend_stack_extra */

/* A stack: usable bytes [lo, hi). The backend allocates the descriptor with the
 * memory (the core never frees it itself) and may keep guard pages outside. */
struct stack {
    char *lo;
    char *hi;
    size_t size;          /* the size asked for: the pool's size class */
    struct stack *next;   /* free-list link, owned by the pool */
    struct backend_stack_extra extra;
};

/* Default and smallest stack sizes in bytes (R20). */
size_t glet_backend_default_stack_size(void);
size_t glet_backend_min_stack_size(void);

/* Allocates a stack of at least size bytes, or returns NULL (GREENLET_ENOMEM)
 * with *why set to a static sentence that says what ran out. */
struct stack *glet_backend_stack_map(size_t size, const char **why);
/* Gives a stack back, on the thread that mapped it. */
void glet_backend_stack_unmap(struct stack *s);

/* The thread's main greenlet: the context of the code already running. */
void glet_backend_context_init_main(struct backend_context *c);

/* Prepares c so that switching to it calls glet_greenlet_entry() on s. name
 * (may be NULL; must outlive the context) labels diagnostics such as the
 * stack overflow message. */
void glet_backend_context_start(struct backend_context *c, struct stack *s, const char *name);

/* Saves the running context into from and resumes to. Returns when another
 * switch resumes from. final: from has finished and is never resumed; the
 * call does not return. A backend may define it inline in its context.h
 * (and GLET_BACKEND_SWITCH_INLINE).
 *
 * greenlet_switch() itself, the public entry of the switch, is each
 * backend's (switch_entry.c), built on the core's switch path
 * (src/switch_path.h): natively the core's fast path as it is; on
 * WebAssembly one that starts and stops Asyncify's unwinds itself. */
#ifndef GLET_BACKEND_SWITCH_INLINE
void glet_backend_switch(struct backend_context *from, struct backend_context *to, bool final);
#endif

/* Runs in the receiver after a finished context's final switch, before its
 * stack is reused or unmapped. */
void glet_backend_context_finish(struct backend_context *c);

/* Per-thread set-up and tear-down (thread.c: e.g. the signal stack that
 * reports overflows). glet_backend_thread_init returns 0, or a negative greenlet
 * code and the thread gets no greenlets (the calls fail as out of memory). */
int glet_backend_thread_init(void);
void glet_backend_thread_exit(void);

/* Provided by the core for the backend: the body of every non-main greenlet.
 * Never returns. */
void glet_greenlet_entry(void);

/* Provided by the core for the backend: reports an overflow of a greenlet's
 * stack (what = "stack") or other per-greenlet region on stderr, naming the
 * greenlet, and aborts (R21). needed: bytes wanted, 0 when unknown. Safe in a
 * signal handler and during an Asyncify unwind. */
void glet_report_overflow(const char *what, const char *name, size_t size, size_t needed)
    __attribute__((noreturn));

#endif /* GREENLET_BACKEND_H */

/*
 * libgreenlet: Python's greenlet semantics in C.
 *
 * A greenlet is a coroutine with its own C stack. Greenlets switch explicitly
 * (greenlet_switch), pass values, form a parent tree, and deliver errors (the C
 * form of exceptions) up that tree. See docs/semantics.md for the full model;
 * the rule numbers (R1..R22) refer to the project's contract.
 *
 * Five calls cover most programs:
 *
 *     greenlet_t *g = greenlet_new(run, NULL, NULL);  // child of the caller
 *     void *v = greenlet_switch(g, arg);   // run(arg) starts on g's own stack
 *     ...      greenlet_switch(parent, x); // inside run: hand x back, suspend
 *     int rc = greenlet_error(&payload);   // did an error come back instead?
 *     greenlet_unref(g);                   // kills g first if it is suspended
 *
 * Threads: every greenlet belongs to the thread that created it and only ever
 * runs there. Calls that act on a greenlet (switch, throw, kill, set_parent)
 * must come from its thread; the others may come from any thread. Each thread
 * has its own main greenlet, current greenlet, pending error and trace hook.
 *
 * Errors: a failing call returns NULL (or a negative code) and leaves an error
 * pending in the calling greenlet: read it with greenlet_error(), describe it
 * with greenlet_error_message(), clear it with greenlet_clear_error().
 * Library codes are negative; user codes are positive; 0 means "no error".
 *
 * Borrowed references: greenlet_current(), greenlet_parent() and the handles a
 * trace hook receives are borrowed; take your own with greenlet_ref() to keep
 * one. Every other handle a function returns is owned by the caller.
 */
#ifndef GREENLET_H
#define GREENLET_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Windows: the functions come from greenlet.dll (its import library) unless
 * GREENLET_STATIC is defined, as the CMake target greenlet::greenlet_static
 * and `pkg-config --static` do for the static library. */
#if defined(_WIN32) && defined(GREENLET_STATIC)
#define GREENLET_API
#elif defined(_WIN32) && defined(GREENLET_BUILDING_DLL)
#define GREENLET_API __declspec(dllexport)
#elif defined(_WIN32)
#define GREENLET_API __declspec(dllimport)
#else
#define GREENLET_API __attribute__((visibility("default")))
#endif

#define GREENLET_VERSION_MAJOR 0
#define GREENLET_VERSION_MINOR 1
#define GREENLET_VERSION_PATCH 0

/* ---- Codes (R9). Library codes are negative; user codes are positive. ---- */
enum {
    GREENLET_EXIT = -1,   /* kills: thrown by greenlet_kill(); swallowed when run returns */
    GREENLET_EINVAL = -2, /* invalid argument or misuse (NULL handle, killing self, ...) */
    GREENLET_ENOMEM = -3, /* out of memory, or a stack could not be allocated */
    GREENLET_ETHREAD = -4, /* the greenlet belongs to another thread */
    GREENLET_ECYCLE = -5, /* the new parent would make a cycle */
    GREENLET_ENORUN = -6, /* started a greenlet created without a run function */
    GREENLET_EALIVE = -7  /* greenlet_kill(): the greenlet switched away instead of dying */
};

/* Trace events (R17). */
enum {
    GREENLET_EVENT_SWITCH = 1, /* a value was delivered */
    GREENLET_EVENT_THROW = 2   /* an error was delivered */
};

/* ---- Types ---- */

/* Opaque, reference-counted handle (R1). */
typedef struct greenlet greenlet_t;

/* The body of a greenlet: called with the first value switched into it; what it
 * returns goes to its parent (R5, R6). */
typedef void *(*greenlet_run_t)(void *arg);

/* Creation attributes (R19, R20). Zero-initialise and set what you need. */
typedef struct greenlet_attr {
    size_t stack_size;    /* bytes; 0 = default: 256 KiB natively, 64 KiB on WebAssembly */
    const char *name;     /* for diagnostics and traces; copied; NULL = none */
    void *userdata;       /* returned by greenlet_userdata() */
} greenlet_attr_t;

/* Trace hook (R17): runs in the target greenlet, before it resumes (for a new
 * greenlet: on its new stack, before run). origin and target are borrowed. */
typedef void (*greenlet_trace_t)(int event, greenlet_t *origin, greenlet_t *target, void *userdata);

/* ---- Creation and references (R1, R2, R8, R19) ---- */

/* Creates an unstarted greenlet that will call run (which may be NULL: starting
 * it then fails with GREENLET_ENORUN). parent NULL means the current greenlet.
 * attr may be NULL. Returns a new reference, or NULL with GREENLET_ENOMEM
 * pending. No stack is allocated until the greenlet starts. Any thread. */
GREENLET_API greenlet_t *greenlet_new(greenlet_run_t run, greenlet_t *parent, const greenlet_attr_t *attr);

/* Adds a reference; returns g (NULL stays NULL). Any thread. */
GREENLET_API greenlet_t *greenlet_ref(greenlet_t *g);

/* Drops a reference. The last reference to a suspended greenlet kills it first
 * (greenlet_kill), on its own thread: from another thread the kill is deferred
 * to the owner thread's next library call (R15). NULL is ignored. Any thread. */
GREENLET_API void greenlet_unref(greenlet_t *g);

/* The running greenlet of this thread (its main greenlet is created on first
 * use). Borrowed. Never NULL except when memory for the main greenlet cannot be
 * had (then GREENLET_ENOMEM cannot be reported either). */
GREENLET_API greenlet_t *greenlet_current(void);

/* The parent of g: borrowed; NULL for a main greenlet or for NULL. Any thread. */
GREENLET_API greenlet_t *greenlet_parent(greenlet_t *g);

/* Gives g a new parent. Returns 0, or a negative code (also left pending):
 * GREENLET_EINVAL for NULL g or parent, or g a main greenlet;
 * GREENLET_ECYCLE if g would become its own ancestor;
 * GREENLET_ETHREAD if g has started and parent belongs to another thread, or the
 * caller is not g's thread. An unstarted greenlet may get a parent of another
 * thread; it then fails with GREENLET_ETHREAD when something starts it (R8). */
GREENLET_API int greenlet_set_parent(greenlet_t *g, greenlet_t *parent);

/* ---- Switching (R5, R6, R7, R12) ---- */

/* Suspends the caller and resumes g with value:
 *   g unstarted: run(value) starts on g's own stack;
 *   g suspended: its pending greenlet_switch()/greenlet_throw() returns value;
 *   g is the caller: returns value at once;
 *   g dead: the value goes to g's first live ancestor (started if unstarted).
 * Returns whatever value is switched back to the caller later, or NULL with an
 * error pending (an error was delivered, or the call failed without switching:
 * GREENLET_EINVAL for NULL, GREENLET_ETHREAD for a greenlet of another thread or
 * an unstarted one whose parent is on another thread, GREENLET_ENORUN for an
 * unstarted one without run, GREENLET_ENOMEM when no stack can be had; "an
 * unstarted one" is g, or the first live ancestor a dead g leads to). Call
 * greenlet_error() to tell a NULL value from an error. Owner thread only. */
GREENLET_API void *greenlet_switch(greenlet_t *g, void *value);

/* Switches to g and raises the error (code, payload) at its switch point.
 * An unstarted g dies without running run, and the error goes to its parent.
 * A dead g: GREENLET_EXIT delivers payload as a value to the first live
 * ancestor, any other code is raised there; an unstarted ancestor that cannot
 * start fails the call as greenlet_switch() does. An error g does not handle goes to
 * g's parent (not to the thrower, unless it is that parent). code 0 is
 * GREENLET_EINVAL. Returns like greenlet_switch(). Owner thread only. */
GREENLET_API void *greenlet_throw(greenlet_t *g, int code, void *payload);

/* ---- Kill (R14) ---- */

/* Throws GREENLET_EXIT (payload NULL) into a suspended g, with g's parent set to
 * the caller for the duration so that control comes back here, then restores
 * g's parent (unless that would now form a cycle). Returns:
 *   0 when g is dead afterwards (also for an unstarted or an already dead g);
 *     an error the caller had pending before the call is left pending;
 *   the code of another error raised by g's cleanup (left pending here);
 *   GREENLET_EALIVE (pending) if g switched back without dying;
 *   GREENLET_EINVAL for NULL, the current greenlet, a main greenlet, or a live
 *     ancestor of the caller; GREENLET_ETHREAD for a greenlet of another thread.
 * Owner thread only. */
GREENLET_API int greenlet_kill(greenlet_t *g);

/* ---- Errors (R9, R10, R11) ---- */

/* The code of the error pending in the current greenlet (0 when none); the
 * payload goes to *payload when payload is not NULL. */
GREENLET_API int greenlet_error(void **payload);

/* Clears the current greenlet's pending error. */
GREENLET_API void greenlet_clear_error(void);

/* Sets (replaces) the current greenlet's pending error. code 0 clears it. When
 * run returns with an error pending, the error goes to the parent (R11). */
GREENLET_API void greenlet_raise(int code, void *payload);

/* A human-readable message for the current greenlet's pending error ("" when
 * none). Library errors carry specifics (names, threads). Valid until the
 * pending error changes. */
GREENLET_API const char *greenlet_error_message(void);

/* The name of a library code ("GREENLET_EINVAL: invalid argument", ...),
 * "user error" for a positive code, "no error" for 0. Never NULL. */
GREENLET_API const char *greenlet_strerror(int code);

/* ---- State queries (R4). false for NULL. Any thread. ---- */
GREENLET_API bool greenlet_started(greenlet_t *g);
GREENLET_API bool greenlet_active(greenlet_t *g); /* started and not dead */
GREENLET_API bool greenlet_dead(greenlet_t *g);
GREENLET_API bool greenlet_is_main(greenlet_t *g);
/* "unstarted", "running", "suspended" or "dead"; "invalid" for NULL. */
GREENLET_API const char *greenlet_state_name(greenlet_t *g);

/* ---- Tracing (R17) ---- */

/* Installs this thread's trace hook (NULL removes it). It is called on every
 * switch and throw, in the target before it resumes; it may switch itself. */
GREENLET_API void greenlet_settrace(greenlet_trace_t fn, void *userdata);

/* This thread's trace hook and, via *userdata if not NULL, its userdata. */
GREENLET_API greenlet_trace_t greenlet_gettrace(void **userdata);

/* ---- Context slot, user data, name (R18, R19) ---- */

/* A per-greenlet pointer (the analogue of gr_context). Readable and settable in
 * any state, except on a greenlet running on another thread: then the read
 * returns NULL and the write GREENLET_ETHREAD, with the error pending. NULL g:
 * GREENLET_EINVAL. */
GREENLET_API void *greenlet_context(greenlet_t *g);
GREENLET_API int greenlet_set_context(greenlet_t *g, void *ctx);

/* The attr userdata and name given at creation (NULL when none). Any thread. */
GREENLET_API void *greenlet_userdata(greenlet_t *g);
GREENLET_API const char *greenlet_name(greenlet_t *g);

#ifdef __cplusplus
}
#endif

#endif /* GREENLET_H */

/*
 * Internal structures of the backend-independent core.
 *
 * The reference-count protocol (R1, R15), the one place it is written down:
 * - Who holds a reference on a greenlet_t: users (greenlet_new's and
 *   greenlet_ref's), each child (on its parent), the thread state (on its
 *   main greenlet, on the running one, and on `held`, below), an in-flight
 *   switch (on the greenlet that switched away, until the receiver has traced
 *   it), and a kill in progress (on its target). Every greenlet holds its
 *   thread state, which outlives the thread while any of its greenlets is
 *   referenced.
 * - `held`: the receiver of a switch keeps the in-flight reference on the
 *   greenlet it came from, instead of dropping it, when others hold it too;
 *   a switch back to that greenlet then makes the reference the running
 *   one's, so that a ping-pong between two greenlets updates no count. It is
 *   never the last reference for long: an unref that leaves only it drops it
 *   at once on the owner's thread (lifecycle.c), and from another thread
 *   asks the owner to drop it at its next call (recheck_held), which is when
 *   a last reference dropped elsewhere is acted on anyway.
 * - When the count reaches 0, glet_last_reference_gone() decides, whichever
 *   path dropped it (greenlet_unref, or glet_unref on the switch path): an
 *   unstarted or dead greenlet is freed; a suspended one is killed first, on
 *   its own thread, holding one reference again for the kill ("the kill's
 *   own"), or queued for its thread when the count reached 0 elsewhere.
 * - A count of 0 is final for everyone else: nobody may take a new reference
 *   then (the thread-exit scan, which finds greenlets without holding one,
 *   skips them with a compare-and-swap: take_suspended in thread_state.c).
 * - An orphan is a greenlet that refused to die when its last reference
 *   went (it switched away instead): it keeps the kill's reference, since its
 *   stack may still be in use, and drops it when it dies (the receiver of its
 *   final switch does, in switch.c).
 */
#ifndef GREENLET_INTERNAL_H
#define GREENLET_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h> /* __MINGW_PRINTF_FORMAT, where there is one */

#include "backend.h"
#include "greenlet.h"

#define ERROR_MESSAGE_MAX 200

enum greenlet_state { STATE_UNSTARTED, STATE_RUNNING, STATE_SUSPENDED, STATE_DEAD };

/* A pending error: the C form of an exception (R9, R10). code 0: none. */
struct error {
    int code;
    void *payload;
    char message[ERROR_MESSAGE_MAX];
};

struct thread_state;

struct greenlet {
    atomic_size_t refs;
    atomic_int state;          /* enum greenlet_state; written by the owner thread only */
    bool is_main;
    bool orphan;               /* refused to die when freed: freed when it dies (R15) */
    struct thread_state *thread; /* owner; never changes */
    greenlet_t *_Atomic parent; /* owned reference; NULL only for a main greenlet; atomic: other
                                  threads walk it to check a foreign parent for cycles (R8) */
    greenlet_run_t run;
    size_t stack_size;
    char *name;
    void *userdata;
    _Atomic(void *) context;   /* R18 */
    struct error error;        /* this greenlet's pending error */
    struct stack *stack;       /* NULL for main, unstarted and dead greenlets */
    struct greenlet *live_prev, *live_next; /* thread's list of started, live greenlets */
    struct greenlet *deferred_next;         /* thread's queue of cross-thread frees */
    struct backend_context ctx;
};

/* What a switch hands to the greenlet it resumes. */
struct transfer {
    greenlet_t *origin; /* owned reference: dropped (or held) by the receiver after tracing */
    void *value;
    struct error error; /* code 0: a value, not an error (GREENLET_EVENT_SWITCH; else _THROW);
                           the receiver leaves it 0 */
};

struct thread_state {
    atomic_size_t refs;          /* the thread itself + one per greenlet it owns */
    unsigned long number;        /* 1, 2, ... in order of first use, for messages */
    long os_id;                  /* the kernel's thread id, for messages */
    greenlet_t *main;            /* owned */
    greenlet_t *current;         /* owned */
    greenlet_trace_t trace;
    void *trace_userdata;
    struct transfer transfer;
    greenlet_t *held;            /* owned; see the protocol at the top */
    atomic_bool recheck_held;    /* another thread left held's count at 1 */
    struct stack *pool;          /* stacks ready for reuse */
    size_t pool_count;
    greenlet_t *spare;           /* freed greenlet_t memory for reuse (alloc.c), linked by live_next */
    size_t spare_count;
    greenlet_t live;             /* list head (only the links are used) */
    atomic_flag lock;            /* guards deferred and exited */
    greenlet_t *deferred;        /* suspended greenlets whose last reference went elsewhere */
    atomic_bool has_deferred;
    atomic_bool exited;
    bool draining;               /* running deferred kills: do not recurse */
};

/* alloc.c: allocations that tests can make fail (testing.h) */
void *glet_calloc(size_t size);
char *glet_strdup(const char *s);
greenlet_t *glet_greenlet_memory_take(struct thread_state *ts); /* zeroed; ts may be NULL */
void glet_greenlet_memory_give(greenlet_t *g);
void glet_greenlet_memory_drain(struct thread_state *ts);

/* Forces inlining of the small helpers on the switch path: on WebAssembly
 * every frame live at a switch is unwound and rewound by Asyncify, so a
 * helper that stays a call costs a frame there. */
#define CORE_INLINE static inline __attribute__((always_inline))

/* thread_state.c */
extern _Thread_local struct thread_state *glet_this_thread; /* NULL until first use */
struct thread_state *glet_thread_state_get_slow(void);
struct thread_state *glet_thread_state_peek(void);      /* NULL if this thread has none */
void glet_thread_state_lock(struct thread_state *ts);
void glet_thread_state_unlock(struct thread_state *ts);
void glet_thread_state_release(struct thread_state *ts);
void glet_thread_state_live_add(struct thread_state *ts, greenlet_t *g);
void glet_thread_state_live_remove(greenlet_t *g);
void glet_thread_state_describe(const struct thread_state *ts, char *buf, size_t size);

/* platform_*.c: what the core needs from the platform's threads: a hook at
 * thread exit, the kernel's thread id, and the blocking lock that guards
 * parent links (lifecycle.c; a spinlock there livelocks when more threads
 * than cores kill greenlets at once). */
void glet_platform_on_thread_exit(void (*fn)(void *), void *arg);
void glet_platform_parent_links_lock(void);
void glet_platform_parent_links_unlock(void);
void glet_platform_yield(void); /* lets a lock holder run while another thread waits */
long glet_platform_thread_os_id(void);

/* stack_pool.c */
struct stack *glet_stack_pool_take(struct thread_state *ts, size_t size, const char **why);
void glet_stack_pool_give(struct thread_state *ts, struct stack *s);
void glet_stack_pool_drain(struct thread_state *ts);

/* errors.c. The library formats with C99's printf; MinGW's own stdio (which
 * __USE_MINGW_ANSI_STDIO selects, for %zu) names that format gnu_printf. */
#ifdef __MINGW_PRINTF_FORMAT
#define GLET_PRINTF __MINGW_PRINTF_FORMAT
#else
#define GLET_PRINTF printf
#endif
void glet_error_set(struct error *e, int code, void *payload, const char *fmt, ...)
    __attribute__((format(GLET_PRINTF, 4, 5)));
void glet_error_clear(struct error *e);
int glet_raise_in_current(struct thread_state *ts, int code, const char *fmt, ...)
    __attribute__((format(GLET_PRINTF, 3, 4)));
const char *glet_label(const greenlet_t *g);
int glet_wrong_thread(struct thread_state *ts, const greenlet_t *g, const char *what);

/* lifecycle.c */
greenlet_t *glet_alloc(struct thread_state *ts, greenlet_run_t run, greenlet_t *parent,
                       const greenlet_attr_t *attr);
int glet_kill_greenlet(struct thread_state *ts, greenlet_t *g);
void glet_last_reference_gone(greenlet_t *g); /* see the protocol at the top */
void glet_release_held(struct thread_state *ts);
void glet_free_deferred(struct thread_state *ts);

/* switch.c */
void *glet_switch_to(struct thread_state *ts, greenlet_t *target, void *value, const struct error *err,
                     bool failures_to_caller);

/* This thread's state: creates it, and runs deferred kills first. The check
 * is inline because every public call makes it. */
CORE_INLINE struct thread_state *glet_thread_state_get(void)
{
    struct thread_state *ts = glet_this_thread;
    if (__builtin_expect(ts != NULL && !atomic_load_explicit(&ts->has_deferred, memory_order_relaxed), 1))
        return ts;
    return glet_thread_state_get_slow();
}

/* greenlet_ref() for the switch path, without a call (through the PLT, in
 * the shared library). */
CORE_INLINE void glet_ref(greenlet_t *g) { atomic_fetch_add_explicit(&g->refs, 1, memory_order_relaxed); }

static inline enum greenlet_state state_of(const greenlet_t *g)
{
    return (enum greenlet_state)atomic_load_explicit(&((greenlet_t *)g)->state, memory_order_acquire);
}

static inline void state_set(greenlet_t *g, enum greenlet_state s)
{
    atomic_store_explicit(&g->state, (int)s, memory_order_release);
}

/* R16: a greenlet is only ever acted on from its own thread. Returns 0, or
 * GREENLET_ETHREAD with the error raised in the caller. */
static inline int check_owner(struct thread_state *ts, const greenlet_t *g, const char *what)
{
    return g->thread == ts ? 0 : glet_wrong_thread(ts, g, what);
}

#endif /* GREENLET_INTERNAL_H */

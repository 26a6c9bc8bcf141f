/* The thread stress test's shared declarations (see stress.c). */
#ifndef GREENLET_STRESS_H
#define GREENLET_STRESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "greenlet.h"

#define STRESS_THREADS 8
#define STRESS_GREENLETS 1000       /* per thread */
#define STRESS_MAX_STEPS 24         /* actions of one worker before it returns */
#define STRESS_MAX_ROUNDS 400000    /* scheduler budget per thread */
#define STRESS_SLOTS 16             /* greenlets each thread publishes to the others */
#define STRESS_HELD 8               /* foreign references each thread holds */
#define STRESS_LEFT_FOR_EXIT 10     /* suspended workers left for the thread's exit to kill */
#define STRESS_STACK_SIZE (128u * 1024u)
#define STRESS_TIMEOUT_SECONDS 300
#define STRESS_USER_ERROR 5

struct thread_work;

struct worker {
    struct thread_work *w;
    int index;
    atomic_int entered; /* worker_run began (once) */
    atomic_int exited;  /* worker_run returned (once) */
};

struct slot {
    pthread_mutex_t lock;
    greenlet_t *g; /* a reference of its own */
};

struct thread_work {
    int index;
    unsigned rng;
    pthread_t thread;                        /* for pthread_join */
    pthread_t self;                          /* set by the thread itself */
    greenlet_t *main;
    greenlet_t *greenlets[STRESS_GREENLETS]; /* the scheduler's handles */
    struct worker workers[STRESS_GREENLETS];
    struct slot slots[STRESS_SLOTS];         /* published to other threads */
    greenlet_t *held[STRESS_HELD];           /* other threads' greenlets we reference */
    atomic_long started, finished, children;
    long misuses;
    unsigned long switches;                  /* counted by this thread's trace hook */
};

struct shared {
    struct thread_work work[STRESS_THREADS];
    atomic_bool done;
};

extern struct shared shared;

_Noreturn void stress_fail(const char *file, int line, const char *what);
#define STRESS_FAIL(what) stress_fail(__FILE__, __LINE__, what)
#define STRESS_REQUIRE(cond, what)                                                                 \
    do {                                                                                           \
        if (!(cond))                                                                               \
            stress_fail(__FILE__, __LINE__, what " (" #cond ")");                                  \
    } while (0)

unsigned stress_random(struct thread_work *w, unsigned n);
void *stress_value(struct thread_work *w, unsigned counter);
void stress_check_value(struct thread_work *w, void *v);

/* worker.c */
greenlet_t *worker_new(struct thread_work *w, int index);
void worker_install_trace(struct thread_work *w);

/* misuse.c: one attempt at misusing another thread's greenlet; checks it is refused. */
void misuse_attempt(struct thread_work *w);

/* share.c */
void shared_init(void);
void share_publish(struct thread_work *w, greenlet_t *g);
greenlet_t *share_grab(struct thread_work *w);     /* a new reference to a foreign greenlet, or NULL */
void share_exchange(struct thread_work *w);        /* publish one of ours, hold one of theirs */
void share_release_all(struct thread_work *w);     /* drop the foreign references we hold */
long shared_drop_remaining(void);                  /* after every thread ended */

#endif

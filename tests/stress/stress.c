/*
 * Thread stress (R1, R13, R15, R16): 8 threads, each with 1,000 greenlets
 * that switch at random among themselves, throw into each other, create
 * children, and try to misuse the greenlets of the other threads (which must
 * fail with GREENLET_ETHREAD, switching nothing). Threads also hold and drop
 * references to each other's greenlets, so some last references go on the
 * wrong thread (the kill is deferred to the owner) and some after the owner
 * has exited. Run under TSan by scripts/stage-hardening.sh.
 *
 * Checked: every value received carries the receiving thread's tag (nothing
 * crosses threads); each greenlet ends exactly once, on its own thread;
 * misuse fails with GREENLET_ETHREAD and leaves the caller current; a
 * watchdog bounds the run in time.
 *
 * Native only: WebAssembly builds have no threads.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "greenlet.h"
#include "stress.h"

struct shared shared;

_Noreturn void stress_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: stress check failed: %s\n", file, line, what);
    fflush(stderr);
    abort();
}

static unsigned next_random(struct thread_work *w)
{
    w->rng ^= w->rng << 13; /* xorshift32 */
    w->rng ^= w->rng >> 17;
    w->rng ^= w->rng << 5;
    return w->rng;
}

unsigned stress_random(struct thread_work *w, unsigned n) { return next_random(w) % n; }

void *stress_value(struct thread_work *w, unsigned counter)
{
    return (void *)(uintptr_t)(((uintptr_t)(w->index + 1) << 24) | (counter & 0xffffffu));
}

void stress_check_value(struct thread_work *w, void *v)
{
    uintptr_t tag = (uintptr_t)v >> 24;
    STRESS_REQUIRE(v == NULL || tag == (uintptr_t)(w->index + 1), "a value crossed threads");
}

/* The main greenlet of each thread: the scheduler of its 1,000 workers. */
static void *thread_main(void *arg)
{
    struct thread_work *w = arg;
    w->self = pthread_self();
    w->main = greenlet_current();
    STRESS_REQUIRE(w->main != NULL && greenlet_is_main(w->main), "no main greenlet");
    worker_install_trace(w);
    for (int i = 0; i < STRESS_GREENLETS; i++)
        w->greenlets[i] = worker_new(w, i);

    /* Resume workers at random until all have ended (or the budget is spent).
     * The first few are never scheduled from here: if no sibling ends them,
     * they are left suspended for the thread's exit to kill (R15). */
    static _Thread_local int live[STRESS_GREENLETS];
    int live_count = 0;
    for (int i = STRESS_LEFT_FOR_EXIT; i < STRESS_GREENLETS; i++)
        live[live_count++] = i;
    for (unsigned round = 0; live_count > 0 && round < STRESS_MAX_ROUNDS; round++) {
        int k = (int)stress_random(w, (unsigned)live_count);
        greenlet_t *g = w->greenlets[live[k]];
        if (greenlet_dead(g)) {
            live[k] = live[--live_count];
            continue;
        }
        void *v = greenlet_switch(g, stress_value(w, round));
        STRESS_REQUIRE(greenlet_current() == w->main, "main resumed as another greenlet");
        if (greenlet_error(NULL) != 0) {
            STRESS_REQUIRE(greenlet_error(NULL) == STRESS_USER_ERROR, "main received an unexpected error");
            greenlet_clear_error(); /* a worker's uncaught user error (R11) */
        } else {
            stress_check_value(w, v);
        }
        if (stress_random(w, 8) == 0)
            misuse_attempt(w);
        if (stress_random(w, 16) == 0)
            share_exchange(w);
    }
    STRESS_REQUIRE(live_count == 0, "the scheduler's budget ran out");

    /* Drop our handles: suspended workers are killed now (R15), except the
     * ones published, which the thread's exit kills. */
    for (int i = 0; i < STRESS_GREENLETS; i++) {
        if (i < STRESS_LEFT_FOR_EXIT && !greenlet_dead(w->greenlets[i]))
            share_publish(w, w->greenlets[i]);
        greenlet_unref(w->greenlets[i]);
        STRESS_REQUIRE(greenlet_error(NULL) == 0, "greenlet_unref left an error pending");
    }
    share_release_all(w);
    greenlet_settrace(NULL, NULL);
    return NULL;
}

static void *watchdog(void *arg)
{
    (void)arg;
    const struct timespec tick = {.tv_sec = 0, .tv_nsec = 20 * 1000 * 1000};
    for (long t = 0; t < STRESS_TIMEOUT_SECONDS * 50L; t++) {
        nanosleep(&tick, NULL);
        if (atomic_load(&shared.done))
            return NULL;
    }
    fprintf(stderr, "stress: still running after %d s: a deadlock or a lost switch\n", STRESS_TIMEOUT_SECONDS);
    abort();
}

int main(void)
{
    pthread_t dog;
    shared_init();
    pthread_create(&dog, NULL, watchdog, NULL);
    for (int t = 0; t < STRESS_THREADS; t++) {
        struct thread_work *w = &shared.work[t];
        w->index = t;
        w->rng = 2463534242u + 7919u * (unsigned)t;
        if (pthread_create(&w->thread, NULL, thread_main, w) != 0)
            STRESS_FAIL("pthread_create");
    }
    for (int t = 0; t < STRESS_THREADS; t++)
        pthread_join(shared.work[t].thread, NULL);

    /* Every worker ended exactly once, on its own thread (checked as it ended). */
    long started = 0, ended = 0, children = 0, misuses = 0, deferred = 0;
    for (int t = 0; t < STRESS_THREADS; t++) {
        struct thread_work *w = &shared.work[t];
        for (int i = 0; i < STRESS_GREENLETS; i++) /* also the ones the thread's exit killed */
            STRESS_REQUIRE(atomic_load(&w->workers[i].entered) == atomic_load(&w->workers[i].exited),
                           "a worker that started never ended");
        started += atomic_load(&w->started);
        ended += atomic_load(&w->finished);
        children += atomic_load(&w->children);
        misuses += w->misuses;
    }
    deferred = shared_drop_remaining();
    atomic_store(&shared.done, true);
    pthread_join(dog, NULL);
    printf("stress: %d threads x %d greenlets: %ld started, %ld ended, %ld children, %ld misuse attempts refused, "
           "%ld references dropped after their thread exited\n",
           STRESS_THREADS, STRESS_GREENLETS, started, ended, children, misuses, deferred);
    printf("stress: 1 passed, 0 failed\n");
    return 0;
}

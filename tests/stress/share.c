/*
 * Handing greenlets between threads (R1, R15, R16). Each thread publishes
 * some of its workers in slots (each slot holds a reference); other threads
 * take references from there, hold them for a while and drop them, so last
 * references go on the wrong thread (the owner kills later) or after the
 * owner has exited (freed at once). A slot's lock only guards the pointer.
 */
#include "stress.h"

void shared_init(void)
{
    for (int t = 0; t < STRESS_THREADS; t++)
        for (int s = 0; s < STRESS_SLOTS; s++)
            pthread_mutex_init(&shared.work[t].slots[s].lock, NULL);
}

void share_publish(struct thread_work *w, greenlet_t *g)
{
    struct slot *slot = &w->slots[stress_random(w, STRESS_SLOTS)];
    greenlet_ref(g);
    pthread_mutex_lock(&slot->lock);
    greenlet_t *old = slot->g;
    slot->g = g;
    pthread_mutex_unlock(&slot->lock);
    greenlet_unref(old); /* ours: if it was the last reference, killed here, now */
}

greenlet_t *share_grab(struct thread_work *w)
{
    int t = (int)stress_random(w, STRESS_THREADS - 1);
    if (t >= w->index)
        t++; /* another thread */
    struct slot *slot = &shared.work[t].slots[stress_random(w, STRESS_SLOTS)];
    pthread_mutex_lock(&slot->lock);
    greenlet_t *g = greenlet_ref(slot->g);
    pthread_mutex_unlock(&slot->lock);
    return g;
}

void share_exchange(struct thread_work *w)
{
    greenlet_t *mine = w->greenlets[stress_random(w, STRESS_GREENLETS)];
    if (!greenlet_dead(mine))
        share_publish(w, mine);
    int h = (int)stress_random(w, STRESS_HELD);
    greenlet_t *old = w->held[h];
    w->held[h] = share_grab(w);
    greenlet_unref(old); /* another thread's: a last reference here defers its kill */
}

void share_release_all(struct thread_work *w)
{
    for (int h = 0; h < STRESS_HELD; h++) {
        greenlet_unref(w->held[h]);
        w->held[h] = NULL;
    }
}

long shared_drop_remaining(void)
{
    long dropped = 0;
    for (int t = 0; t < STRESS_THREADS; t++) {
        for (int s = 0; s < STRESS_SLOTS; s++) {
            struct slot *slot = &shared.work[t].slots[s];
            if (slot->g != NULL) {
                /* R15: the thread's exit killed its suspended greenlets. */
                STRESS_REQUIRE(greenlet_dead(slot->g) || !greenlet_started(slot->g),
                               "a greenlet outlived its thread suspended");
                greenlet_unref(slot->g);
                slot->g = NULL;
                dropped++;
            }
            pthread_mutex_destroy(&slot->lock);
        }
    }
    return dropped;
}

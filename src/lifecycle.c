/*
 * Creation, references, parents, kill and destruction (R1, R8, R14, R15).
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

greenlet_t *glet_alloc(struct thread_state *ts, greenlet_run_t run, greenlet_t *parent,
                       const greenlet_attr_t *attr)
{
    greenlet_t *g = glet_greenlet_memory_take(glet_this_thread == ts ? ts : NULL);
    if (g == NULL)
        return NULL;
    if (attr != NULL && attr->name != NULL && (g->name = glet_strdup(attr->name)) == NULL) {
        glet_greenlet_memory_give(g);
        return NULL;
    }
    atomic_init(&g->refs, 1);
    atomic_init(&g->state, STATE_UNSTARTED);
    atomic_init(&g->context, NULL);
    g->thread = ts;
    atomic_fetch_add(&ts->refs, 1);
    g->parent = greenlet_ref(parent);
    g->run = run;
    size_t size = attr != NULL && attr->stack_size != 0 ? attr->stack_size : glet_backend_default_stack_size();
    g->stack_size = size < glet_backend_min_stack_size() ? glet_backend_min_stack_size() : size;
    g->userdata = attr != NULL ? attr->userdata : NULL;
    glet_error_clear(&g->error);
    return g;
}

greenlet_t *greenlet_new(greenlet_run_t run, greenlet_t *parent, const greenlet_attr_t *attr)
{
    struct thread_state *ts = glet_thread_state_get();
    if (ts == NULL)
        return NULL;
    greenlet_t *g = glet_alloc(ts, run, parent != NULL ? parent : ts->current, attr);
    if (g == NULL)
        glet_raise_in_current(ts, GREENLET_ENOMEM, "greenlet_new: out of memory");
    return g;
}

greenlet_t *greenlet_ref(greenlet_t *g)
{
    if (g != NULL)
        atomic_fetch_add_explicit(&g->refs, 1, memory_order_relaxed);
    return g;
}

/* Unstarted or dead, and unreferenced: nothing runs on it any more. */
static void greenlet_free(greenlet_t *g)
{
    struct thread_state *ts = g->thread;
    greenlet_t *parent = g->parent;
    glet_thread_state_live_remove(g);
    free(g->name);
    glet_greenlet_memory_give(g);
    greenlet_unref(parent);
    glet_thread_state_release(ts);
}

/* R15: the last reference to a suspended greenlet went, on its own thread. */
static void dispose_suspended(struct thread_state *ts, greenlet_t *g)
{
    struct error saved = ts->current->error;
    glet_error_clear(&ts->current->error);
    atomic_store(&g->refs, 1); /* the kill's own */
    int rc = glet_kill_greenlet(ts, g);
    if (rc == GREENLET_EALIVE) {
        fprintf(stderr,
                "libgreenlet: greenlet '%s' switched away instead of dying when its last reference was dropped; "
                "it is not freed while its stack may be in use\n",
                glet_label(g));
        g->orphan = true; /* keeps the kill's reference until it dies */
    } else if (rc != 0) {
        fprintf(stderr, "libgreenlet: cleanup of greenlet '%s' raised an error when its last reference was dropped: %s\n",
                glet_label(g), ts->current->error.message);
    }
    ts->current->error = saved;
    if (!g->orphan)
        greenlet_unref(g);
}

/* A greenlet of another thread: its thread state may go with it (the last
 * greenlet of an exited thread), and is needed after the count drops. */
static void unref_foreign(greenlet_t *g)
{
    struct thread_state *owner = g->thread;
    atomic_fetch_add_explicit(&owner->refs, 1, memory_order_relaxed);
    size_t before = atomic_fetch_sub_explicit(&g->refs, 1, memory_order_acq_rel);
    if (before == 1) {
        glet_last_reference_gone(g);
    } else if (before == 2) { /* the owner's held reference may be all that is left */
        atomic_store(&owner->recheck_held, true);
        atomic_store(&owner->has_deferred, true); /* the owner's next call looks */
    }
    glet_thread_state_release(owner);
}

void greenlet_unref(greenlet_t *g)
{
    if (g == NULL)
        return;
    struct thread_state *mine = glet_this_thread;
    if (g->thread != mine) {
        unref_foreign(g);
        return;
    }
    size_t before = atomic_fetch_sub_explicit(&g->refs, 1, memory_order_acq_rel);
    if (before == 1)
        glet_last_reference_gone(g);
    else if (before == 2 && mine->held == g)
        glet_release_held(mine); /* it was the last one but ours */
}

void glet_release_held(struct thread_state *ts)
{
    greenlet_t *g = ts->held;
    ts->held = NULL;
    greenlet_unref(g);
}

/* The count reached 0 (the protocol in internal.h). */
void glet_last_reference_gone(greenlet_t *g)
{
    enum greenlet_state state = state_of(g);
    if (state != STATE_SUSPENDED) { /* unstarted or dead (a running one is referenced by its thread) */
        greenlet_free(g);
        return;
    }
    struct thread_state *owner = g->thread;
    if (glet_thread_state_peek() == owner) {
        dispose_suspended(owner, g);
        return;
    }
    /* Another thread: the kill must run on the owner (R15, R16). */
    glet_thread_state_lock(owner);
    bool exited = atomic_load(&owner->exited);
    if (!exited) {
        g->deferred_next = owner->deferred;
        owner->deferred = g;
        atomic_store(&owner->has_deferred, true);
    }
    glet_thread_state_unlock(owner);
    if (exited)
        greenlet_free(g);
}

void glet_free_deferred(struct thread_state *ts)
{
    ts->draining = true;
    while (atomic_load(&ts->has_deferred)) {
        glet_thread_state_lock(ts);
        greenlet_t *list = ts->deferred;
        ts->deferred = NULL;
        atomic_store(&ts->has_deferred, false);
        glet_thread_state_unlock(ts);
        while (list != NULL) {
            greenlet_t *g = list;
            list = g->deferred_next;
            g->deferred_next = NULL;
            if (state_of(g) == STATE_SUSPENDED)
                dispose_suspended(ts, g);
            else
                greenlet_free(g);
        }
    }
    ts->draining = false;
}

/*
 * Walks of parent chains may cross threads: an unstarted greenlet's parent may
 * belong to another thread (R8), whose set_parent may drop the last reference
 * to a greenlet on the chain meanwhile. Walks and parent changes therefore
 * take one process-wide lock (platform_*.c); both are short. The
 * switch path reads only its own thread's links, which only that thread
 * changes, and takes no lock. Dropping a replaced parent's reference happens
 * after the lock is released: it may kill, and killing switches.
 */
/* Called with the lock held. */
static bool is_ancestor(const greenlet_t *maybe_ancestor, const greenlet_t *g)
{
    for (const greenlet_t *a = g->parent; a != NULL; a = a->parent)
        if (a == maybe_ancestor)
            return true;
    return false;
}

static bool is_ancestor_locked(const greenlet_t *maybe_ancestor, const greenlet_t *g)
{
    glet_platform_parent_links_lock();
    bool found = is_ancestor(maybe_ancestor, g);
    glet_platform_parent_links_unlock();
    return found;
}

/* Makes parent g's parent unless that would form a cycle. Returns the old
 * parent (whose reference the caller now holds), or g itself on a cycle. */
static greenlet_t *replace_parent(greenlet_t *g, greenlet_t *parent)
{
    glet_platform_parent_links_lock();
    greenlet_t *old = g;
    if (parent != g && !is_ancestor(g, parent)) {
        old = g->parent;
        g->parent = greenlet_ref(parent);
    }
    glet_platform_parent_links_unlock();
    return old;
}

int greenlet_set_parent(greenlet_t *g, greenlet_t *parent)
{
    struct thread_state *ts = glet_thread_state_get();
    if (ts == NULL)
        return GREENLET_ENOMEM;
    if (g == NULL || parent == NULL)
        return glet_raise_in_current(ts, GREENLET_EINVAL, "greenlet_set_parent: %s is NULL",
                                     g == NULL ? "the greenlet" : "the parent");
    if (g->is_main)
        return glet_raise_in_current(ts, GREENLET_EINVAL, "greenlet_set_parent: '%s' is a main greenlet; it has no parent",
                                     glet_label(g));
    if (check_owner(ts, g, "set the parent of") != 0)
        return GREENLET_ETHREAD;
    if (state_of(g) != STATE_UNSTARTED && parent->thread != g->thread) {
        char theirs[64];
        glet_thread_state_describe(parent->thread, theirs, sizeof theirs);
        return glet_raise_in_current(ts, GREENLET_ETHREAD,
                                     "greenlet_set_parent: '%s' has started; its parent '%s' cannot be on another thread (%s)",
                                     glet_label(g), glet_label(parent), theirs);
    }
    greenlet_t *old = replace_parent(g, parent);
    if (old == g)
        return glet_raise_in_current(ts, GREENLET_ECYCLE, "greenlet_set_parent: '%s' would become its own ancestor",
                                     glet_label(g));
    greenlet_unref(old);
    return 0;
}

/* R14. g belongs to this thread. */
int glet_kill_greenlet(struct thread_state *ts, greenlet_t *g)
{
    greenlet_t *self = ts->current;
    enum greenlet_state state = state_of(g);
    if (state == STATE_DEAD)
        return 0;
    if (g == self || g->is_main || is_ancestor_locked(g, self))
        return glet_raise_in_current(ts, GREENLET_EINVAL, "greenlet_kill: cannot kill '%s': it is %s", glet_label(g),
                                     g == self ? "the current greenlet"
                                     : g->is_main ? "a main greenlet"
                                                  : "an ancestor of the current greenlet");
    if (state == STATE_UNSTARTED && g->run == NULL) {
        state_set(g, STATE_DEAD); /* dies without running; nothing to enter */
        return 0;
    }

    greenlet_t *original_parent = replace_parent(g, self); /* keeps its reference meanwhile */
    if (original_parent == g) /* another thread linked g above us meanwhile */
        return glet_raise_in_current(ts, GREENLET_EINVAL, "greenlet_kill: cannot kill '%s': it is an ancestor of the current greenlet",
                                     glet_label(g));
    struct error saved = self->error;
    glet_error_clear(&self->error);
    greenlet_ref(g); /* the caller's reference may go while we are switched away */
    struct error exit_error;
    glet_error_set(&exit_error, GREENLET_EXIT, NULL, "greenlet '%s' killed", glet_label(g));
    glet_switch_to(ts, g, NULL, &exit_error, true);

    /* Restore the original parent, unless cleanup re-parented things so that
     * it would now form a cycle: then the caller stays the parent. */
    greenlet_t *replaced = replace_parent(g, original_parent);
    if (replaced != g)
        greenlet_unref(replaced);    /* the temporary link to the caller */
    greenlet_unref(original_parent); /* our hold; a restored link took its own */

    int rc = 0;
    state = state_of(g);
    if (state == STATE_UNSTARTED) { /* it could not even be entered (no stack): it dies all the same */
        state_set(g, STATE_DEAD);
        self->error = saved;
    } else if (state != STATE_DEAD) {
        rc = glet_raise_in_current(ts, GREENLET_EALIVE, "greenlet_kill: '%s' switched away instead of dying",
                                   glet_label(g));
    } else if (self->error.code != 0) {
        rc = self->error.code;
    } else {
        self->error = saved;
    }
    greenlet_unref(g); /* if that was the last reference, R15 applies now */
    return rc;
}

int greenlet_kill(greenlet_t *g)
{
    struct thread_state *ts = glet_thread_state_get();
    if (ts == NULL)
        return GREENLET_ENOMEM;
    if (g == NULL)
        return glet_raise_in_current(ts, GREENLET_EINVAL, "greenlet_kill: NULL greenlet");
    if (check_owner(ts, g, "kill") != 0)
        return GREENLET_ETHREAD;
    return glet_kill_greenlet(ts, g);
}

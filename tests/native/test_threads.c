/* Threads (R2 R4 R8 R13 R15 R16 R17 R18).
 * Native-only: it needs threads (POSIX or Win32), which the WebAssembly build
 * does not have. */
#include "native/threads.h"

#include "check.h"
#include "check_trace.h"
#include "testing.h"

static greenlet_t *main_g;
static test_thread_id main_thread;

/* Threads are numbered 1, 2, ... in order of first library use; main() is
 * thread 1 and every thread below calls the library first thing, one thread
 * at a time except where counted. */
static unsigned long threads_used = 1;

static void run_thread(void *(*fn)(void *), void *arg)
{
    test_thread t;
    CHECK_INT(test_thread_start(&t, fn, arg), 0);
    CHECK_INT(test_thread_join(t), 0);
    threads_used++;
}

/* msg names "thread n" (and not "thread n0", "thread n1", ...). */
static int mentions_thread(const char *msg, unsigned long n)
{
    char needle[32];
    snprintf(needle, sizeof needle, "thread %lu", n);
    size_t len = strlen(needle);
    for (const char *at = strstr(msg, needle); at != NULL; at = strstr(at + 1, needle))
        if (at[len] < '0' || at[len] > '9')
            return 1;
    return 0;
}

/* A simple one-shot gate between two threads. */
struct gate {
    test_mutex mutex;
    test_cond cond;
    int open;
};

static void gate_init(struct gate *g)
{
    test_mutex_init(&g->mutex);
    test_cond_init(&g->cond);
    g->open = 0;
}

static void gate_open(struct gate *g)
{
    test_mutex_lock(&g->mutex);
    g->open = 1;
    test_cond_broadcast(&g->cond);
    test_mutex_unlock(&g->mutex);
}

static void gate_wait(struct gate *g)
{
    test_mutex_lock(&g->mutex);
    while (!g->open)
        test_cond_wait(&g->cond, &g->mutex);
    test_mutex_unlock(&g->mutex);
}

static void gate_destroy(struct gate *g)
{
    test_mutex_destroy(&g->mutex);
    test_cond_destroy(&g->cond);
}

static void *return_arg(void *arg) { return arg; }

/* Returns what it is resumed with; a kill's GREENLET_EXIT is swallowed. */
static void *wait_in_main_thread(void *arg) { return greenlet_switch(main_g, arg); }

/* ---- R2: one main greenlet per thread ---- */

static void *report_own_main(void *arg)
{
    greenlet_t **out = arg;
    greenlet_t *m = greenlet_current();
    CHECK(m != NULL);
    CHECK(m != main_g); /* R2: its own */
    CHECK(greenlet_is_main(m));
    CHECK_PTR(greenlet_parent(m), NULL);
    CHECK_STR(greenlet_state_name(m), "running");
    CHECK_STR(greenlet_state_name(main_g), "running"); /* running on its own thread */
    CHECK(greenlet_gettrace(NULL) == NULL);            /* R17: hooks are per thread */
    *out = greenlet_ref(m);
    return NULL;
}

static void noop_hook(int event, greenlet_t *origin, greenlet_t *target, void *userdata) {}

TEST(test_R2_R4_each_thread_has_its_own_main_greenlet_which_dies_with_it)
{
    greenlet_t *their_main = NULL;
    greenlet_settrace(noop_hook, NULL); /* must not be visible over there */
    run_thread(report_own_main, &their_main);
    greenlet_settrace(NULL, NULL);
    CHECK(their_main != NULL);
    CHECK(greenlet_is_main(their_main));
    CHECK(greenlet_dead(their_main)); /* R4: "dead" after its thread exited */
    CHECK_STR(greenlet_state_name(their_main), "dead");
    CHECK(!greenlet_active(their_main));
    greenlet_unref(their_main);
}

/* ---- R16: cross-thread switch, throw, kill, set_parent ---- */

struct cross {
    greenlet_t *suspended, *unstarted;
    char message[256];
    int codes[6];
    int switches;
    int current_unchanged;
};

static void *misuse_from_another_thread(void *arg)
{
    struct cross *c = arg;
    greenlet_t *me = greenlet_current();
    struct trace_log log;
    trace_log_start(&log);
    c->codes[0] = greenlet_switch(c->suspended, VAL(1)) == NULL ? greenlet_error(NULL) : 0;
    snprintf(c->message, sizeof c->message, "%s", greenlet_error_message());
    greenlet_clear_error();
    c->codes[1] = greenlet_throw(c->suspended, 5, NULL) == NULL ? greenlet_error(NULL) : 0;
    greenlet_clear_error();
    c->codes[2] = greenlet_kill(c->suspended);
    greenlet_clear_error();
    c->codes[3] = greenlet_switch(c->unstarted, VAL(1)) == NULL ? greenlet_error(NULL) : 0;
    greenlet_clear_error();
    c->codes[4] = greenlet_set_parent(c->suspended, main_g); /* not from the owner's thread */
    greenlet_clear_error();
    c->codes[5] = greenlet_kill(c->unstarted);
    greenlet_clear_error();
    trace_log_stop();
    c->switches = log.count;
    c->current_unchanged = greenlet_current() == me;
    return NULL;
}

TEST(test_R16_R13_cross_thread_calls_are_refused_naming_both_threads)
{
    struct cross c;
    memset(&c, 0, sizeof c);
    c.suspended = greenlet_new(wait_in_main_thread, NULL, NULL);
    c.unstarted = greenlet_new(return_arg, NULL, NULL);
    greenlet_switch(c.suspended, NULL);
    unsigned long them = threads_used + 1;
    run_thread(misuse_from_another_thread, &c);
    for (int i = 0; i < 6; i++)
        CHECK_INT(c.codes[i], GREENLET_ETHREAD); /* R16 */
    CHECK(mentions_thread(c.message, 1));    /* the owner */
    CHECK(mentions_thread(c.message, them)); /* the caller */
    CHECK(strstr(c.message, "has exited") == NULL);
    if (!mentions_thread(c.message, 1) || !mentions_thread(c.message, them))
        fprintf(stderr, "    message: %s (expected threads 1 and %lu)\n", c.message, them);
    CHECK_INT(c.switches, 0); /* nothing switched */
    CHECK(c.current_unchanged);
    /* Nothing changed here either: both still work normally. */
    CHECK_STR(greenlet_state_name(c.suspended), "suspended");
    CHECK_STR(greenlet_state_name(c.unstarted), "unstarted");
    CHECK_PTR(greenlet_parent(c.suspended), main_g);
    CHECK_PTR(greenlet_switch(c.suspended, VAL(9)), VAL(9));
    CHECK_PTR(greenlet_switch(c.unstarted, VAL(8)), VAL(8));
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(c.suspended);
    greenlet_unref(c.unstarted);
}

struct leftovers {
    greenlet_t *unstarted, *was_suspended;
    test_thread_id thread;
    test_thread_id cleanup_thread;
    int cleanups;
};

static void *note_cleanup_thread(void *arg)
{
    struct leftovers *l = arg;
    greenlet_switch(greenlet_parent(greenlet_current()), NULL);
    l->cleanups++;
    l->cleanup_thread = test_thread_self();
    CHECK_AND_CLEAR_ERROR(GREENLET_EXIT);
    return NULL;
}

static void *leave_greenlets_behind(void *arg)
{
    struct leftovers *l = arg;
    greenlet_current();
    l->thread = test_thread_self();
    l->unstarted = greenlet_new(return_arg, NULL, NULL);
    l->was_suspended = greenlet_new(note_cleanup_thread, NULL, NULL);
    greenlet_switch(l->was_suspended, l);
    return NULL; /* exits holding both, handing the references to main */
}

TEST(test_R16_R15_the_owners_exit_kills_its_greenlets_and_changes_the_wording)
{
    struct leftovers l;
    memset(&l, 0, sizeof l);
    unsigned long them = threads_used + 1;
    run_thread(leave_greenlets_behind, &l);
    /* R15: killed at thread exit, on that thread */
    CHECK_INT(l.cleanups, 1);
    CHECK(test_thread_same(l.cleanup_thread, l.thread));
    CHECK(greenlet_dead(l.was_suspended));
    CHECK_STR(greenlet_state_name(l.was_suspended), "dead");

    struct trace_log log;
    trace_log_start(&log);
    CHECK_PTR(greenlet_switch(l.unstarted, VAL(1)), NULL);
    CHECK_INT(greenlet_error(NULL), GREENLET_ETHREAD); /* R13, R16 */
    CHECK_CONTAINS(greenlet_error_message(), "has exited");
    CHECK(mentions_thread(greenlet_error_message(), them));
    greenlet_clear_error();
    CHECK_PTR(greenlet_throw(l.unstarted, 3, NULL), NULL);
    CHECK_INT(greenlet_error(NULL), GREENLET_ETHREAD);
    CHECK_CONTAINS(greenlet_error_message(), "has exited");
    greenlet_clear_error();
    CHECK_INT(greenlet_kill(l.unstarted), GREENLET_ETHREAD);
    CHECK_AND_CLEAR_ERROR(GREENLET_ETHREAD);
    CHECK_PTR(greenlet_switch(l.was_suspended, VAL(1)), NULL);
    CHECK_INT(greenlet_error(NULL), GREENLET_ETHREAD);
    CHECK_CONTAINS(greenlet_error_message(), "has exited");
    greenlet_clear_error();
    trace_log_stop();
    CHECK_INT(log.count, 0);
    CHECK_STR(greenlet_state_name(l.unstarted), "unstarted");
    greenlet_unref(l.unstarted); /* freed here (ASan checks) */
    greenlet_unref(l.was_suspended);
}

/* ---- R8: parents across threads ---- */

static void *make_unstarted_greenlet(void *arg)
{
    greenlet_current();
    *(greenlet_t **)arg = greenlet_new(return_arg, NULL, NULL);
    return NULL;
}

TEST(test_R8_R16_parents_on_another_thread)
{
    greenlet_t *foreign = NULL;
    run_thread(make_unstarted_greenlet, &foreign);
    greenlet_t *started = greenlet_new(wait_in_main_thread, NULL, NULL);
    greenlet_switch(started, NULL);
    CHECK_INT(greenlet_set_parent(started, foreign), GREENLET_ETHREAD); /* R8 */
    CHECK_AND_CLEAR_ERROR(GREENLET_ETHREAD);
    CHECK_PTR(greenlet_parent(started), main_g);

    greenlet_t *unstarted = greenlet_new(return_arg, NULL, NULL);
    CHECK_INT(greenlet_set_parent(unstarted, foreign), 0); /* allowed while unstarted */
    CHECK_AND_CLEAR_ERROR(0);
    struct trace_log log;
    trace_log_start(&log);
    CHECK_PTR(greenlet_switch(unstarted, VAL(1)), NULL); /* ... but it cannot start */
    CHECK_AND_CLEAR_ERROR(GREENLET_ETHREAD);
    trace_log_stop();
    CHECK_INT(log.count, 0);
    CHECK_STR(greenlet_state_name(unstarted), "unstarted");
    CHECK_INT(greenlet_set_parent(unstarted, main_g), 0);
    CHECK_PTR(greenlet_switch(unstarted, VAL(2)), VAL(2));
    CHECK_AND_CLEAR_ERROR(0);

    CHECK_INT(greenlet_kill(started), 0);
    greenlet_unref(started);
    greenlet_unref(unstarted);
    greenlet_unref(foreign);
}

/* Dead forwarding (R7) that reaches an unstarted greenlet whose parent is on
 * another thread: it cannot start, and since the caller's own switch reached
 * it through dead greenlets only, the call fails in the caller (not main)
 * with GREENLET_ETHREAD, as if the caller had named it. */
static greenlet_t *dead_child_of_stuck;
static int stuck_error;
static char stuck_message[256];

static void *switch_to_dead_child(void *arg)
{
    void *got = greenlet_switch(dead_child_of_stuck, arg);
    stuck_error = greenlet_error(NULL);
    snprintf(stuck_message, sizeof stuck_message, "%s", greenlet_error_message());
    greenlet_clear_error();
    return got == NULL ? VAL(7) : VAL(8);
}

TEST(test_R7_R16_forwarding_to_an_unstarted_greenlet_with_a_foreign_parent)
{
    greenlet_t *foreign = NULL;
    unsigned long them = threads_used + 1;
    run_thread(make_unstarted_greenlet, &foreign);
    greenlet_t *stuck = greenlet_new(return_arg, NULL, NULL);
    dead_child_of_stuck = greenlet_new(return_arg, NULL, NULL);
    greenlet_switch(dead_child_of_stuck, NULL);
    CHECK_INT(greenlet_set_parent(dead_child_of_stuck, stuck), 0);
    CHECK_INT(greenlet_set_parent(stuck, foreign), 0); /* allowed: unstarted (R8) */
    greenlet_t *caller = greenlet_new(switch_to_dead_child, NULL, NULL);
    stuck_error = 0;
    CHECK_PTR(greenlet_switch(caller, VAL(1)), VAL(7)); /* the caller's switch returned NULL */
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_INT(stuck_error, GREENLET_ETHREAD); /* in the caller */
    CHECK(mentions_thread(stuck_message, 1));
    CHECK(mentions_thread(stuck_message, them));
    CHECK_STR(greenlet_state_name(stuck), "unstarted");
    CHECK_STR(greenlet_state_name(caller), "dead");
    greenlet_unref(caller);
    greenlet_unref(dead_child_of_stuck);
    greenlet_unref(stuck);
    greenlet_unref(foreign);
}

/* ---- R18: the context of a greenlet running on another thread ---- */

struct context_visit {
    struct gate ready, done;
    greenlet_t *their_main, *their_suspended;
    void *seen_in_suspended;
};

static int ctx_value;

static void *suspend_and_read_context(void *arg)
{
    struct context_visit *v = arg;
    greenlet_switch(greenlet_parent(greenlet_current()), NULL);
    v->seen_in_suspended = greenlet_context(greenlet_current());
    return NULL;
}

static void *expose_running_greenlets(void *arg)
{
    struct context_visit *v = arg;
    v->their_main = greenlet_ref(greenlet_current());
    greenlet_set_context(v->their_main, &ctx_value);
    v->their_suspended = greenlet_new(suspend_and_read_context, NULL, NULL);
    greenlet_switch(v->their_suspended, v);
    gate_open(&v->ready);
    gate_wait(&v->done); /* running while the main thread looks */
    greenlet_switch(v->their_suspended, NULL);
    greenlet_unref(v->their_suspended);
    return NULL;
}

TEST(test_R18_R16_context_of_a_greenlet_running_on_another_thread)
{
    struct context_visit v;
    memset(&v, 0, sizeof v);
    gate_init(&v.ready);
    gate_init(&v.done);
    test_thread t;
    CHECK_INT(test_thread_start(&t, expose_running_greenlets, &v), 0);
    gate_wait(&v.ready);
    CHECK_PTR(greenlet_context(v.their_main), NULL); /* R18: running over there */
    CHECK_AND_CLEAR_ERROR(GREENLET_ETHREAD);
    CHECK_INT(greenlet_set_context(v.their_main, NULL), GREENLET_ETHREAD);
    CHECK_AND_CLEAR_ERROR(GREENLET_ETHREAD);
    /* A suspended greenlet of that thread is fine. */
    CHECK_PTR(greenlet_context(v.their_suspended), NULL);
    CHECK_INT(greenlet_set_context(v.their_suspended, &ctx_value), 0);
    CHECK_AND_CLEAR_ERROR(0);
    gate_open(&v.done);
    CHECK_INT(test_thread_join(t), 0);
    threads_used++;
    CHECK_PTR(v.seen_in_suspended, &ctx_value);
    /* Its thread has exited: the main greenlet is dead, and readable again. */
    CHECK_PTR(greenlet_context(v.their_main), &ctx_value);
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(v.their_main);
    gate_destroy(&v.ready);
    gate_destroy(&v.done);
}

/* ---- R15: unref from another thread ---- */

struct deferred {
    greenlet_t *g;
    int cleanups;
    test_thread_id cleanup_thread;
};

static void *deferred_cleanup(void *arg)
{
    struct deferred *d = arg;
    greenlet_switch(main_g, NULL);
    d->cleanups++;
    d->cleanup_thread = test_thread_self();
    return NULL;
}

static void *drop_the_reference(void *arg)
{
    struct deferred *d = arg;
    greenlet_current();
    greenlet_unref(d->g); /* the last one, but not our greenlet */
    CHECK_INT(d->cleanups, 0); /* never run here */
    CHECK_AND_CLEAR_ERROR(0);
    return NULL;
}

TEST(test_R15_a_cross_thread_unref_defers_the_kill_to_the_owner)
{
    struct deferred d;
    memset(&d, 0, sizeof d);
    d.g = greenlet_new(deferred_cleanup, NULL, NULL);
    greenlet_switch(d.g, &d);
    run_thread(drop_the_reference, &d);
    CHECK_INT(d.cleanups, 0); /* no library call here since */
    greenlet_current();       /* R15: the owner's next call runs it */
    CHECK_INT(d.cleanups, 1);
    CHECK(test_thread_same(d.cleanup_thread, main_thread));
    CHECK_AND_CLEAR_ERROR(0);
}

/* ---- R16, R17: many threads at once ---- */

enum { WORKERS = 8, ROUNDS = 5000 };

struct worker {
    greenlet_t *main;
    long sum;
    long events;
    int hook_is_own;
};

static void count_events(int event, greenlet_t *origin, greenlet_t *target, void *userdata)
{
    ((struct worker *)userdata)->events++;
}

static void *echo_plus_one(void *arg)
{
    struct worker *w = arg;
    uintptr_t v = 0;
    while (greenlet_error(NULL) == 0) /* until killed */
        v = (uintptr_t)greenlet_switch(w->main, VAL(v + 1));
    return NULL;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    w->main = greenlet_current();
    greenlet_settrace(count_events, w);
    greenlet_t *gs[4];
    for (int i = 0; i < 4; i++) {
        gs[i] = greenlet_new(echo_plus_one, NULL, NULL);
        greenlet_switch(gs[i], w);
    }
    for (int r = 0; r < ROUNDS; r++)
        w->sum += (long)(uintptr_t)greenlet_switch(gs[r % 4], VAL(r));
    void *ud = NULL;
    w->hook_is_own = greenlet_gettrace(&ud) == count_events && ud == w;
    greenlet_settrace(NULL, NULL);
    for (int i = 0; i < 4; i++)
        greenlet_unref(gs[i]); /* killed: they never return otherwise */
    return NULL;
}

TEST(test_R16_R17_many_threads_switch_at_once)
{
    test_thread ts[WORKERS];
    struct worker ws[WORKERS];
    memset(ws, 0, sizeof ws);
    for (int i = 0; i < WORKERS; i++)
        CHECK_INT(test_thread_start(&ts[i], work, &ws[i]), 0);
    for (int i = 0; i < WORKERS; i++)
        CHECK_INT(test_thread_join(ts[i]), 0);
    threads_used += WORKERS;
    long expected = (long)ROUNDS * (ROUNDS - 1) / 2 + ROUNDS;
    for (int i = 0; i < WORKERS; i++) {
        CHECK_INT(ws[i].sum, expected);
        /* 4 starts and returns, then 2 events per round: per-thread hooks */
        CHECK_INT(ws[i].events, 8 + 2L * ROUNDS);
        CHECK(ws[i].hook_is_own);
    }
    CHECK(greenlet_gettrace(NULL) == NULL);
}

/* ---- R13: no memory for a new thread's main greenlet ---- */

static void *start_without_memory(void *arg)
{
    int *ok = arg;
    glet_testing_fail_allocations(0);
    greenlet_t *none = greenlet_current(); /* documented: NULL in this case */
    greenlet_t *g = greenlet_new(return_arg, NULL, NULL);
    glet_testing_fail_allocations(-1);
    CHECK_PTR(none, NULL);
    CHECK_PTR(g, NULL);
    greenlet_t *m = greenlet_current(); /* memory again: works */
    CHECK(m != NULL && greenlet_is_main(m));
    g = greenlet_new(return_arg, NULL, NULL);
    CHECK_PTR(greenlet_switch(g, VAL(3)), VAL(3));
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(g);
    *ok = 1;
    return NULL;
}

TEST(test_R13_no_memory_for_a_threads_main_greenlet)
{
    int ok = 0;
    run_thread(start_without_memory, &ok);
    CHECK_INT(ok, 1);
}

int main(void)
{
    main_g = greenlet_current(); /* thread 1 */
    main_thread = test_thread_self();
    RUN_TEST(test_R2_R4_each_thread_has_its_own_main_greenlet_which_dies_with_it);
    RUN_TEST(test_R16_R13_cross_thread_calls_are_refused_naming_both_threads);
    RUN_TEST(test_R16_R15_the_owners_exit_kills_its_greenlets_and_changes_the_wording);
    RUN_TEST(test_R8_R16_parents_on_another_thread);
    RUN_TEST(test_R7_R16_forwarding_to_an_unstarted_greenlet_with_a_foreign_parent);
    RUN_TEST(test_R18_R16_context_of_a_greenlet_running_on_another_thread);
    RUN_TEST(test_R15_a_cross_thread_unref_defers_the_kill_to_the_owner);
    RUN_TEST(test_R16_R17_many_threads_switch_at_once);
    RUN_TEST(test_R13_no_memory_for_a_threads_main_greenlet);
    return check_finish();
}

/* Kill and destruction: greenlet_kill, and unref of suspended or running
 * greenlets (R14 R15). Cross-thread and thread-exit cases are in
 * native/test_threads.c; the stderr reports in native/test_kill_reports.c. */
#include "check.h"
#include "check_trace.h"

static greenlet_t *main_g;

/* What a greenlet saw when killed. */
struct probe {
    int exits;           /* GREENLET_EXIT seen at a switch point */
    void *exit_payload;  /* its payload (must be NULL) */
    greenlet_t *parent_during_cleanup;
    int cleanup_done;
};

static void *wait_and_clean_up(void *arg)
{
    struct probe *k = arg;
    greenlet_switch(main_g, NULL);
    void *p = &p;
    if (greenlet_error(&p) == GREENLET_EXIT) {
        k->exits++;
        k->exit_payload = p;
        k->parent_during_cleanup = greenlet_parent(greenlet_current());
    }
    k->cleanup_done = 1; /* cleanup runs before returning, EXIT still pending */
    return NULL;
}

static void *idle_forever(void *arg)
{
    for (;;)
        if (greenlet_switch(main_g, arg) == NULL && greenlet_error(NULL) == GREENLET_EXIT)
            return NULL;
}

TEST(test_R14_kill_runs_cleanup_and_returns_to_the_caller)
{
    struct probe k = {0, &k, NULL, 0};
    greenlet_t *q = greenlet_new(idle_forever, NULL, NULL);
    greenlet_switch(q, VAL(1));
    greenlet_t *g = greenlet_new(wait_and_clean_up, q, NULL);
    greenlet_switch(g, &k);
    int prior = 0;
    greenlet_raise(99, &prior); /* the caller's own error survives a clean kill */
    CHECK_INT(greenlet_kill(g), 0);
    void *p = NULL;
    CHECK_INT(greenlet_error(&p), 99); /* R14 */
    CHECK_PTR(p, &prior);
    greenlet_clear_error();
    CHECK_INT(k.exits, 1);
    CHECK_PTR(k.exit_payload, NULL);          /* payload NULL */
    CHECK_PTR(k.parent_during_cleanup, main_g); /* parent temporarily the caller */
    CHECK_INT(k.cleanup_done, 1);
    CHECK(greenlet_dead(g));
    CHECK_PTR(greenlet_parent(g), q); /* restored */
    CHECK_STR(greenlet_state_name(q), "suspended"); /* q was not resumed */
    CHECK_INT(greenlet_kill(q), 0);
    greenlet_unref(g);
    greenlet_unref(q);
}

static void *cleanup_raises(void *arg)
{
    greenlet_switch(main_g, NULL);
    greenlet_clear_error();
    greenlet_raise(77, arg);
    return NULL;
}

TEST(test_R14_an_error_raised_by_cleanup_is_returned)
{
    int payload = 0;
    greenlet_t *g = greenlet_new(cleanup_raises, NULL, NULL);
    greenlet_switch(g, &payload);
    CHECK_INT(greenlet_kill(g), 77); /* R14 */
    void *p = NULL;
    CHECK_INT(greenlet_error(&p), 77);
    CHECK_PTR(p, &payload);
    greenlet_clear_error();
    CHECK(greenlet_dead(g));
    greenlet_unref(g);
}

static void *refuse_first_kill(void *arg)
{
    struct probe *k = arg;
    greenlet_switch(main_g, NULL);
    k->exits += greenlet_error(NULL) == GREENLET_EXIT;
    greenlet_clear_error();
    k->parent_during_cleanup = greenlet_parent(greenlet_current());
    greenlet_switch(k->parent_during_cleanup, VAL(5)); /* back to the killer, alive */
    k->exits += greenlet_error(NULL) == GREENLET_EXIT;
    return NULL; /* EXIT pending: swallowed */
}

TEST(test_R14_a_greenlet_that_switches_back_alive_gives_EALIVE)
{
    struct probe k = {0, NULL, NULL, 0};
    greenlet_t *q = greenlet_new(idle_forever, NULL, NULL);
    greenlet_switch(q, VAL(1));
    greenlet_t *g = greenlet_new(refuse_first_kill, q, NULL);
    greenlet_switch(g, &k);
    CHECK_INT(greenlet_kill(g), GREENLET_EALIVE); /* R14 */
    CHECK_AND_CLEAR_ERROR(GREENLET_EALIVE);
    CHECK_PTR(k.parent_during_cleanup, main_g);
    CHECK_STR(greenlet_state_name(g), "suspended");
    CHECK_PTR(greenlet_parent(g), q); /* restored */
    CHECK_INT(greenlet_kill(g), 0); /* the second kill ends it */
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_INT(k.exits, 2);
    CHECK(greenlet_dead(g));
    CHECK_INT(greenlet_kill(q), 0);
    greenlet_unref(g);
    greenlet_unref(q);
}

static int ran;

static void *mark_ran(void *arg)
{
    ran = 1;
    return arg;
}

TEST(test_R14_killing_an_unstarted_or_dead_greenlet)
{
    ran = 0;
    greenlet_t *with_run = greenlet_new(mark_ran, NULL, NULL);
    greenlet_t *without_run = greenlet_new(NULL, NULL, NULL);
    CHECK_INT(greenlet_kill(with_run), 0); /* R14: dies without running */
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(with_run));
    CHECK_INT(ran, 0);
    CHECK_INT(greenlet_kill(without_run), 0);
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(without_run));
    CHECK_STR(greenlet_state_name(without_run), "dead");

    struct trace_log log; /* a dead greenlet: a no-op */
    trace_log_start(&log);
    CHECK_INT(greenlet_kill(with_run), 0);
    CHECK_INT(greenlet_kill(without_run), 0);
    trace_log_stop();
    CHECK_INT(log.count, 0);
    CHECK_AND_CLEAR_ERROR(0);
    /* A dead greenlet stays dead: starting it forwards to main (R7). */
    CHECK_PTR(greenlet_switch(with_run, VAL(3)), VAL(3));
    CHECK_INT(ran, 0);
    greenlet_unref(with_run);
    greenlet_unref(without_run);
}

struct refusals {
    greenlet_t *outer;
    int kill_self, kill_main, kill_ancestor;
    int switches;
};

static void *try_forbidden_kills(void *arg)
{
    struct refusals *r = arg;
    struct trace_log log;
    trace_log_start(&log);
    r->kill_self = greenlet_kill(greenlet_current());
    greenlet_clear_error();
    r->kill_main = greenlet_kill(main_g);
    greenlet_clear_error();
    r->kill_ancestor = greenlet_kill(r->outer); /* a live ancestor */
    greenlet_clear_error();
    trace_log_stop();
    r->switches = log.count;
    return NULL;
}

static void *start_inner(void *arg)
{
    struct refusals *r = arg;
    greenlet_t *inner = greenlet_new(try_forbidden_kills, NULL, NULL); /* child of outer */
    greenlet_switch(inner, r);
    greenlet_unref(inner);
    return NULL;
}

TEST(test_R14_R13_forbidden_kills_are_refused)
{
    struct trace_log log;
    trace_log_start(&log);
    CHECK_INT(greenlet_kill(NULL), GREENLET_EINVAL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_INT(greenlet_kill(main_g), GREENLET_EINVAL); /* current and main */
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    trace_log_stop();
    CHECK_INT(log.count, 0);

    struct refusals r = {NULL, 0, 0, 0, -1};
    r.outer = greenlet_new(start_inner, NULL, NULL);
    greenlet_switch(r.outer, &r);
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_INT(r.kill_self, GREENLET_EINVAL);
    CHECK_INT(r.kill_main, GREENLET_EINVAL);
    CHECK_INT(r.kill_ancestor, GREENLET_EINVAL);
    CHECK_INT(r.switches, 0); /* nothing switched */
    CHECK(greenlet_dead(r.outer));
    greenlet_unref(r.outer);
}

static greenlet_t *cycle_q;

static void *adopt_the_old_parent(void *arg)
{
    greenlet_switch(main_g, NULL);
    greenlet_clear_error();
    /* Cleanup makes the old parent q our child: restoring q as our parent
     * would now form a cycle. */
    CHECK_INT(greenlet_set_parent(cycle_q, greenlet_current()), 0);
    return arg;
}

TEST(test_R14_the_caller_stays_parent_when_restoring_would_cycle)
{
    cycle_q = greenlet_new(idle_forever, NULL, NULL);
    greenlet_switch(cycle_q, VAL(1));
    greenlet_t *g = greenlet_new(adopt_the_old_parent, cycle_q, NULL);
    greenlet_switch(g, NULL);
    CHECK_INT(greenlet_kill(g), 0);
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(g));
    CHECK_PTR(greenlet_parent(g), main_g);  /* R14 */
    CHECK_PTR(greenlet_parent(cycle_q), g);
    CHECK_INT(greenlet_kill(cycle_q), 0);
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(cycle_q);
    greenlet_unref(g);
}

TEST(test_R15_the_last_unref_kills_a_suspended_greenlet)
{
    struct probe k = {0, &k, NULL, 0};
    greenlet_t *g = greenlet_new(wait_and_clean_up, NULL, NULL);
    greenlet_switch(g, &k);
    greenlet_t *extra = greenlet_ref(g);
    greenlet_unref(extra); /* not the last: nothing happens */
    CHECK_INT(k.cleanup_done, 0);
    greenlet_unref(g); /* R15: the last one kills, then frees */
    CHECK_INT(k.exits, 1);
    CHECK_PTR(k.exit_payload, NULL);
    CHECK_PTR(k.parent_during_cleanup, main_g);
    CHECK_INT(k.cleanup_done, 1);
    CHECK_AND_CLEAR_ERROR(0);
}

TEST(test_R15_unref_of_unstarted_and_dead_greenlets_frees_them)
{
    ran = 0;
    greenlet_t *unstarted = greenlet_new(mark_ran, NULL, NULL);
    greenlet_unref(unstarted);
    CHECK_INT(ran, 0); /* never started */
    greenlet_t *dead = greenlet_new(mark_ran, NULL, NULL);
    greenlet_switch(dead, NULL);
    CHECK_INT(ran, 1);
    greenlet_unref(dead);
    CHECK_AND_CLEAR_ERROR(0);
}

static void *drop_self_then_switch(void *arg)
{
    struct probe *k = arg;
    greenlet_unref(greenlet_current()); /* our last reference, while running */
    void *v = greenlet_switch(main_g, VAL(42)); /* the value must not be lost */
    void *p = &p;
    if (v == NULL && greenlet_error(&p) == GREENLET_EXIT) {
        k->exits++;
        k->exit_payload = p;
    }
    k->cleanup_done = 1;
    return NULL;
}

TEST(test_R15_a_greenlet_dropping_its_own_last_reference_is_killed_after_it_switches)
{
    struct probe k = {0, &k, NULL, 0};
    greenlet_t *g = greenlet_new(drop_self_then_switch, NULL, NULL);
    CHECK_PTR(greenlet_switch(g, &k), VAL(42)); /* R15 */
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_current() == main_g); /* at the latest by this call ... */
    CHECK_INT(k.cleanup_done, 1);         /* ... it has been killed */
    CHECK_INT(k.exits, 1);
    CHECK_PTR(k.exit_payload, NULL);
    CHECK_AND_CLEAR_ERROR(0);
}

static int cleanups;

static void *count_cleanup(void *arg)
{
    greenlet_switch(main_g, arg);
    cleanups++;
    return NULL;
}

TEST(test_R15_many_suspended_greenlets_are_killed_by_unref)
{
    enum { N = 100 };
    greenlet_t *gs[N];
    cleanups = 0;
    for (int i = 0; i < N; i++) {
        gs[i] = greenlet_new(count_cleanup, NULL, NULL);
        CHECK_PTR(greenlet_switch(gs[i], VAL(i)), VAL(i));
    }
    for (int i = 0; i < N; i++)
        greenlet_unref(gs[i]);
    CHECK_INT(cleanups, N);
    CHECK_AND_CLEAR_ERROR(0);
}

int main(void)
{
    main_g = greenlet_current();
    RUN_TEST(test_R14_kill_runs_cleanup_and_returns_to_the_caller);
    RUN_TEST(test_R14_an_error_raised_by_cleanup_is_returned);
    RUN_TEST(test_R14_a_greenlet_that_switches_back_alive_gives_EALIVE);
    RUN_TEST(test_R14_killing_an_unstarted_or_dead_greenlet);
    RUN_TEST(test_R14_R13_forbidden_kills_are_refused);
    RUN_TEST(test_R14_the_caller_stays_parent_when_restoring_would_cycle);
    RUN_TEST(test_R15_the_last_unref_kills_a_suspended_greenlet);
    RUN_TEST(test_R15_unref_of_unstarted_and_dead_greenlets_frees_them);
    RUN_TEST(test_R15_a_greenlet_dropping_its_own_last_reference_is_killed_after_it_switches);
    RUN_TEST(test_R15_many_suspended_greenlets_are_killed_by_unref);
    return check_finish();
}

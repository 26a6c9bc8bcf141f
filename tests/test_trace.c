/* Tracing: the per-thread hook, its events, and hooks that switch (R17).
 * Per-thread installation is checked in native/test_threads.c. */
#include "check.h"
#include "check_trace.h"

static greenlet_t *main_g;

static void noop_hook(int event, greenlet_t *origin, greenlet_t *target, void *userdata) {}

TEST(test_R17_settrace_installs_and_gettrace_returns_the_pair)
{
    void *ud = &ud;
    CHECK(greenlet_gettrace(NULL) == NULL);
    CHECK(greenlet_gettrace(&ud) == NULL);
    int mine = 0;
    greenlet_settrace(noop_hook, &mine);
    CHECK(greenlet_gettrace(NULL) == noop_hook);
    CHECK(greenlet_gettrace(&ud) == noop_hook); /* R17 */
    CHECK_PTR(ud, &mine);
    greenlet_settrace(NULL, NULL);
    CHECK(greenlet_gettrace(NULL) == NULL);
}

static void *switch_once_then_return(void *arg)
{
    greenlet_switch(main_g, arg);
    return arg;
}

TEST(test_R17_every_switch_and_the_return_are_traced)
{
    struct trace_log log;
    greenlet_t *g = greenlet_new(switch_once_then_return, NULL, NULL);
    trace_log_start(&log);
    greenlet_switch(g, VAL(1)); /* start */
    greenlet_switch(g, VAL(2)); /* resume; g returns to main */
    trace_log_stop();
    CHECK_INT(log.count, 4);
    CHECK_EVENT(&log, 0, GREENLET_EVENT_SWITCH, main_g, g);
    CHECK_EVENT(&log, 1, GREENLET_EVENT_SWITCH, g, main_g);
    CHECK_EVENT(&log, 2, GREENLET_EVENT_SWITCH, main_g, g);
    CHECK_EVENT(&log, 3, GREENLET_EVENT_SWITCH, g, main_g); /* run returned */
    greenlet_unref(g);
}

TEST(test_R17_a_self_switch_is_traced_with_origin_equal_to_target)
{
    struct trace_log log;
    trace_log_start(&log);
    CHECK_PTR(greenlet_switch(main_g, VAL(3)), VAL(3));
    trace_log_stop();
    CHECK_INT(log.count, 1);
    CHECK_EVENT(&log, 0, GREENLET_EVENT_SWITCH, main_g, main_g);
}

/* The hook runs in the target, before it resumes; for a new greenlet before
 * run is called. */
struct where {
    int calls;
    int in_target;
    int run_started_at_first_call;
};
static int run_started;

static void where_hook(int event, greenlet_t *origin, greenlet_t *target, void *userdata)
{
    struct where *w = userdata;
    if (w->calls++ == 0)
        w->run_started_at_first_call = run_started;
    w->in_target += greenlet_current() == target;
}

static void *note_run_started(void *arg)
{
    run_started = 1;
    greenlet_switch(main_g, arg);
    return NULL;
}

TEST(test_R17_the_hook_runs_in_the_target_before_it_resumes)
{
    struct where w = {0, 0, -1};
    run_started = 0;
    greenlet_t *g = greenlet_new(note_run_started, NULL, NULL);
    greenlet_settrace(where_hook, &w);
    greenlet_switch(g, NULL);
    greenlet_settrace(NULL, NULL);
    CHECK_INT(w.calls, 2);
    CHECK_INT(w.in_target, 2);
    CHECK_INT(w.run_started_at_first_call, 0); /* the start's call came before run */
    CHECK_INT(run_started, 1);
    greenlet_unref(g);
}

static void *catch_and_return_code(void *arg)
{
    greenlet_switch(main_g, arg);
    int code = greenlet_error(NULL);
    greenlet_clear_error();
    return VAL(code);
}

TEST(test_R17_a_throw_is_traced_as_THROW)
{
    struct trace_log log;
    greenlet_t *g = greenlet_new(catch_and_return_code, NULL, NULL);
    greenlet_switch(g, NULL);
    trace_log_start(&log);
    CHECK_PTR(greenlet_throw(g, 12, NULL), VAL(12));
    trace_log_stop();
    CHECK_INT(log.count, 2);
    CHECK_EVENT(&log, 0, GREENLET_EVENT_THROW, main_g, g);
    CHECK_EVENT(&log, 1, GREENLET_EVENT_SWITCH, g, main_g);
    greenlet_unref(g);
}

static void *die_with(void *arg)
{
    greenlet_raise((int)(intptr_t)arg, NULL);
    return NULL;
}

TEST(test_R17_death_with_an_error_is_THROW_and_with_EXIT_is_SWITCH)
{
    struct trace_log log;
    greenlet_t *g = greenlet_new(die_with, NULL, NULL);
    trace_log_start(&log);
    greenlet_switch(g, VAL(13));
    trace_log_stop();
    CHECK_AND_CLEAR_ERROR(13);
    CHECK_INT(log.count, 2);
    CHECK_EVENT(&log, 0, GREENLET_EVENT_SWITCH, main_g, g);
    CHECK_EVENT(&log, 1, GREENLET_EVENT_THROW, g, main_g);
    greenlet_unref(g);

    g = greenlet_new(die_with, NULL, NULL);
    trace_log_start(&log);
    greenlet_switch(g, VAL(GREENLET_EXIT)); /* swallowed: a value */
    trace_log_stop();
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_INT(log.count, 2);
    CHECK_EVENT(&log, 0, GREENLET_EVENT_SWITCH, main_g, g);
    CHECK_EVENT(&log, 1, GREENLET_EVENT_SWITCH, g, main_g);
    greenlet_unref(g);
}

static int unstarted_ran;

static void *must_not_run(void *arg)
{
    unstarted_ran = 1;
    return arg;
}

TEST(test_R17_R14_killing_an_unstarted_greenlet_is_traced_only_with_run)
{
    struct trace_log log;
    unstarted_ran = 0;
    greenlet_t *g = greenlet_new(must_not_run, NULL, NULL);
    trace_log_start(&log);
    CHECK_INT(greenlet_kill(g), 0);
    trace_log_stop();
    CHECK_INT(unstarted_ran, 0);
    CHECK_INT(log.count, 2); /* entered, then died */
    CHECK_EVENT(&log, 0, GREENLET_EVENT_THROW, main_g, g);
    CHECK_EVENT(&log, 1, GREENLET_EVENT_SWITCH, g, main_g);
    greenlet_unref(g);

    g = greenlet_new(NULL, NULL, NULL);
    trace_log_start(&log);
    CHECK_INT(greenlet_kill(g), 0);
    trace_log_stop();
    CHECK_INT(log.count, 0); /* no run: marked dead directly */
    CHECK(greenlet_dead(g));
    greenlet_unref(g);
}

TEST(test_R17_R12_a_throw_into_an_unstarted_greenlet_is_traced_in_and_out)
{
    struct trace_log log;
    unstarted_ran = 0;
    greenlet_t *g = greenlet_new(must_not_run, NULL, NULL);
    trace_log_start(&log);
    CHECK_PTR(greenlet_throw(g, 15, NULL), NULL);
    trace_log_stop();
    CHECK_AND_CLEAR_ERROR(15);
    CHECK_INT(unstarted_ran, 0);
    CHECK_INT(log.count, 2); /* R12: the throw into it, then its death */
    CHECK_EVENT(&log, 0, GREENLET_EVENT_THROW, main_g, g);
    CHECK_EVENT(&log, 1, GREENLET_EVENT_THROW, g, main_g);
    greenlet_unref(g);
}

/* A hook that, the first time it sees `watch` as target, switches to `side`
 * and waits until side switches back (R17: the hook may switch). */
struct detour {
    struct trace_log log;
    greenlet_t *watch;
    greenlet_t *side;
    int taken;
    void *side_gave;
};

static void detour_hook(int event, greenlet_t *origin, greenlet_t *target, void *userdata)
{
    struct detour *d = userdata;
    trace_log_hook(event, origin, target, &d->log);
    if (target == d->watch && !d->taken) {
        d->taken = 1;
        d->side_gave = greenlet_switch(d->side, VAL(100));
    }
}

static struct detour *the_detour;

static void *side_returns_to_watch(void *arg)
{
    return greenlet_switch(the_detour->watch, VAL(200));
}

static void *return_arg_plus_one(void *arg) { return (char *)arg + 1; }

TEST(test_R17_a_hook_that_switches_while_a_greenlet_starts)
{
    struct detour d;
    memset(&d, 0, sizeof d);
    the_detour = &d;
    d.watch = greenlet_new(return_arg_plus_one, NULL, NULL);
    d.side = greenlet_new(side_returns_to_watch, NULL, NULL);
    greenlet_settrace(detour_hook, &d);
    /* watch must still start with 10, after the hook's own switches. */
    CHECK_PTR(greenlet_switch(d.watch, VAL(10)), VAL(11));
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_settrace(NULL, NULL);
    CHECK_PTR(d.side_gave, VAL(200));
    CHECK_INT(d.log.count, 4);
    CHECK_EVENT(&d.log, 0, GREENLET_EVENT_SWITCH, main_g, d.watch);
    CHECK_EVENT(&d.log, 1, GREENLET_EVENT_SWITCH, d.watch, d.side);
    CHECK_EVENT(&d.log, 2, GREENLET_EVENT_SWITCH, d.side, d.watch);
    CHECK_EVENT(&d.log, 3, GREENLET_EVENT_SWITCH, d.watch, main_g);
    CHECK(greenlet_dead(d.watch));
    CHECK_STR(greenlet_state_name(d.side), "suspended");
    CHECK_INT(greenlet_kill(d.side), 0);
    greenlet_unref(d.side);
    greenlet_unref(d.watch);
}

TEST(test_R17_a_hook_that_switches_while_an_error_is_thrown)
{
    struct detour d;
    memset(&d, 0, sizeof d);
    the_detour = &d;
    d.watch = greenlet_new(catch_and_return_code, NULL, NULL);
    d.side = greenlet_new(side_returns_to_watch, NULL, NULL);
    greenlet_switch(d.watch, NULL);
    d.taken = 0;
    greenlet_settrace(detour_hook, &d);
    /* The thrown error must still arrive after the hook's switches. */
    CHECK_PTR(greenlet_throw(d.watch, 14, NULL), VAL(14));
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_settrace(NULL, NULL);
    CHECK_INT(d.taken, 1);
    CHECK_INT(d.log.count, 4);
    CHECK_EVENT(&d.log, 0, GREENLET_EVENT_THROW, main_g, d.watch);
    CHECK_EVENT(&d.log, 1, GREENLET_EVENT_SWITCH, d.watch, d.side);
    CHECK_EVENT(&d.log, 2, GREENLET_EVENT_SWITCH, d.side, d.watch);
    CHECK_EVENT(&d.log, 3, GREENLET_EVENT_SWITCH, d.watch, main_g);
    CHECK_INT(greenlet_kill(d.side), 0);
    greenlet_unref(d.side);
    greenlet_unref(d.watch);
}

/* Handles passed to the hook are borrowed and usable for queries. */
struct names {
    char seen[4][32];
    int count;
};

static void name_hook(int event, greenlet_t *origin, greenlet_t *target, void *userdata)
{
    struct names *n = userdata;
    if (n->count < 4) {
        const char *o = greenlet_name(origin), *t = greenlet_name(target);
        snprintf(n->seen[n->count], sizeof n->seen[0], "%s>%s", o ? o : "main", t ? t : "main");
    }
    n->count++;
}

TEST(test_R17_R19_the_hook_sees_names)
{
    struct names n;
    memset(&n, 0, sizeof n);
    greenlet_attr_t attr = {0, "worker", NULL};
    greenlet_t *g = greenlet_new(switch_once_then_return, NULL, &attr);
    greenlet_settrace(name_hook, &n);
    greenlet_switch(g, NULL);
    greenlet_switch(g, NULL);
    greenlet_settrace(NULL, NULL);
    CHECK_INT(n.count, 4);
    CHECK_STR(n.seen[0], "main>worker");
    CHECK_STR(n.seen[1], "worker>main");
    greenlet_unref(g);
}

int main(void)
{
    main_g = greenlet_current();
    RUN_TEST(test_R17_settrace_installs_and_gettrace_returns_the_pair);
    RUN_TEST(test_R17_every_switch_and_the_return_are_traced);
    RUN_TEST(test_R17_a_self_switch_is_traced_with_origin_equal_to_target);
    RUN_TEST(test_R17_the_hook_runs_in_the_target_before_it_resumes);
    RUN_TEST(test_R17_a_throw_is_traced_as_THROW);
    RUN_TEST(test_R17_death_with_an_error_is_THROW_and_with_EXIT_is_SWITCH);
    RUN_TEST(test_R17_R14_killing_an_unstarted_greenlet_is_traced_only_with_run);
    RUN_TEST(test_R17_R12_a_throw_into_an_unstarted_greenlet_is_traced_in_and_out);
    RUN_TEST(test_R17_a_hook_that_switches_while_a_greenlet_starts);
    RUN_TEST(test_R17_a_hook_that_switches_while_an_error_is_thrown);
    RUN_TEST(test_R17_R19_the_hook_sees_names);
    return check_finish();
}

/* Switching and values: creation, states, start, resume, self-switch, return
 * (R1 R2 R3 R4 R5 R6). */
#include "check.h"
#include "check_trace.h"

static greenlet_t *main_g;

static void *return_arg_plus_one(void *arg) { return (char *)arg + 1; }
static void *return_arg_times_ten(void *arg) { return VAL((uintptr_t)arg * 10); }

TEST(test_R2_main_greenlet_exists_lazily_and_runs)
{
    greenlet_t *m = greenlet_current();
    CHECK(m != NULL);
    CHECK_PTR(greenlet_current(), m); /* created once, then the same */
    CHECK(greenlet_is_main(m));       /* R2 */
    CHECK_PTR(greenlet_parent(m), NULL);
    CHECK(greenlet_started(m));
    CHECK(greenlet_active(m));
    CHECK(!greenlet_dead(m));
    CHECK_STR(greenlet_state_name(m), "running");
    CHECK_AND_CLEAR_ERROR(0);
}

static void *dummy_run(void *arg) { return arg; }

TEST(test_R1_new_returns_an_unstarted_reference)
{
    greenlet_t *g = greenlet_new(dummy_run, NULL, NULL);
    CHECK(g != NULL);
    CHECK(!greenlet_started(g)); /* R1, R4 */
    CHECK(!greenlet_active(g));
    CHECK(!greenlet_dead(g));
    CHECK(!greenlet_is_main(g));
    CHECK_STR(greenlet_state_name(g), "unstarted");
    CHECK_PTR(greenlet_ref(g), g); /* R1: two references now */
    greenlet_unref(g);
    CHECK_STR(greenlet_state_name(g), "unstarted"); /* still held once */
    greenlet_unref(g);
    CHECK_PTR(greenlet_ref(NULL), NULL);
    greenlet_unref(NULL); /* ignored */
    CHECK_AND_CLEAR_ERROR(0);
}

TEST(test_R1_a_greenlet_holds_a_reference_to_its_parent)
{
    greenlet_attr_t attr = {0, "the-parent", NULL};
    greenlet_t *p = greenlet_new(return_arg_times_ten, NULL, &attr);
    greenlet_t *c = greenlet_new(return_arg_plus_one, p, NULL);
    greenlet_unref(p); /* c's reference keeps p alive (R1) */
    CHECK_PTR(greenlet_parent(c), p);
    CHECK_STR(greenlet_name(greenlet_parent(c)), "the-parent");
    CHECK_STR(greenlet_state_name(p), "unstarted");
    /* c returns 2 to p, which starts with it and returns 20 to main (R6, R7). */
    CHECK_PTR(greenlet_switch(c, VAL(1)), VAL(20));
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(c));
    CHECK(greenlet_dead(greenlet_parent(c)));
    greenlet_unref(c);
}

static void *drop_own_reference_then_return(void *arg)
{
    greenlet_t *self = greenlet_current();
    greenlet_unref(self); /* the creator handed its only reference over */
    /* R1: a running greenlet is kept alive while it runs */
    CHECK_STR(greenlet_name(self), "self-dropper");
    CHECK_STR(greenlet_state_name(self), "running");
    CHECK_PTR(greenlet_current(), self);
    return (char *)arg + 6;
}

TEST(test_R1_a_running_greenlet_is_kept_alive)
{
    greenlet_attr_t attr = {0, "self-dropper", NULL};
    greenlet_t *g = greenlet_new(drop_own_reference_then_return, NULL, &attr);
    CHECK_PTR(greenlet_switch(g, VAL(1)), VAL(7));
    CHECK_AND_CLEAR_ERROR(0);
}

static void *fail_with_payload(void *arg)
{
    greenlet_set_context(greenlet_current(), arg);
    greenlet_throw(greenlet_parent(greenlet_current()), 42, arg);
    return NULL;
}

/* A freed greenlet's memory is reused by the next greenlet_new of the thread
 * (a cache that spares malloc on a warm path): nothing of the old one may
 * show through. */
TEST(test_R1_a_new_greenlet_starts_clean_after_many_lives)
{
    for (int i = 0; i < 40; i++) {
        greenlet_attr_t attr = {0, "old-life", VAL(9)};
        greenlet_t *old = greenlet_new(fail_with_payload, NULL, &attr);
        CHECK_PTR(greenlet_switch(old, VAL(5)), NULL);
        CHECK_AND_CLEAR_ERROR(42);
        greenlet_unref(old);
    }
    for (int i = 0; i < 40; i++) {
        greenlet_t *fresh = greenlet_new(dummy_run, NULL, NULL);
        CHECK_PTR(greenlet_name(fresh), NULL);
        CHECK_PTR(greenlet_userdata(fresh), NULL);
        CHECK_PTR(greenlet_context(fresh), NULL);
        CHECK_PTR(greenlet_parent(fresh), main_g);
        CHECK_STR(greenlet_state_name(fresh), "unstarted");
        CHECK_PTR(greenlet_switch(fresh, VAL(3)), VAL(3));
        CHECK_AND_CLEAR_ERROR(0);
        greenlet_unref(fresh);
    }
}

static greenlet_t *states_g;

static void *observe_states(void *arg)
{
    CHECK_STR(greenlet_state_name(states_g), "running"); /* R4 */
    CHECK(greenlet_started(states_g));
    CHECK(greenlet_active(states_g));
    CHECK(!greenlet_dead(states_g));
    CHECK_STR(greenlet_state_name(main_g), "suspended"); /* R4: main while its thread lives */
    CHECK(greenlet_active(main_g));
    CHECK(!greenlet_dead(main_g));
    greenlet_switch(main_g, NULL);
    return arg;
}

TEST(test_R4_states_through_a_life)
{
    states_g = greenlet_new(observe_states, NULL, NULL);
    CHECK_STR(greenlet_state_name(states_g), "unstarted");
    greenlet_switch(states_g, NULL);
    CHECK_STR(greenlet_state_name(states_g), "suspended");
    CHECK(greenlet_started(states_g));
    CHECK(greenlet_active(states_g));
    CHECK(!greenlet_dead(states_g));
    CHECK_STR(greenlet_state_name(main_g), "running");
    greenlet_switch(states_g, NULL);
    CHECK_STR(greenlet_state_name(states_g), "dead");
    CHECK(greenlet_started(states_g));
    CHECK(!greenlet_active(states_g));
    CHECK(greenlet_dead(states_g));
    CHECK(!greenlet_is_main(states_g));
    greenlet_unref(states_g);
    CHECK_AND_CLEAR_ERROR(0);
}

TEST(test_R4_queries_on_null_are_false_and_set_no_error)
{
    CHECK(!greenlet_started(NULL));
    CHECK(!greenlet_active(NULL));
    CHECK(!greenlet_dead(NULL));
    CHECK(!greenlet_is_main(NULL));
    CHECK_STR(greenlet_state_name(NULL), "invalid");
    CHECK_PTR(greenlet_parent(NULL), NULL);
    CHECK_AND_CLEAR_ERROR(0);
}

static void *record_arg_and_current(void *arg)
{
    void **out = arg;
    out[0] = greenlet_current();
    out[1] = arg;
    return VAL(99);
}

TEST(test_R5_switch_starts_run_with_the_value)
{
    void *seen[2] = {NULL, NULL};
    greenlet_t *g = greenlet_new(record_arg_and_current, NULL, NULL);
    CHECK_PTR(greenlet_switch(g, seen), VAL(99));
    CHECK_PTR(seen[0], g); /* run ran inside g */
    CHECK_PTR(seen[1], seen);
    greenlet_unref(g);
}

static void *count_up(void *arg)
{
    uintptr_t x = (uintptr_t)arg;
    for (int i = 0; i < 100; i++)
        x = (uintptr_t)greenlet_switch(main_g, VAL(x + 1));
    return VAL(x + 1000);
}

TEST(test_R5_switch_resumes_a_suspended_greenlet_with_the_value)
{
    greenlet_t *g = greenlet_new(count_up, NULL, NULL);
    uintptr_t v = (uintptr_t)greenlet_switch(g, VAL(0));
    for (int i = 0; i < 99; i++) {
        CHECK_INT(v, 2 * i + 1);
        v = (uintptr_t)greenlet_switch(g, VAL(v + 1));
    }
    CHECK_INT(v, 199);
    CHECK_PTR(greenlet_switch(g, VAL(200)), VAL(1200)); /* run returned */
    CHECK(greenlet_dead(g));
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(g);
}

static void *switch_to_self_inside(void *arg)
{
    greenlet_t *self = greenlet_current();
    CHECK_PTR(greenlet_switch(self, VAL(8)), VAL(8)); /* R5 */
    CHECK_PTR(greenlet_current(), self);
    CHECK_AND_CLEAR_ERROR(0);
    return arg;
}

TEST(test_R5_switch_to_self_returns_the_value_at_once)
{
    CHECK_PTR(greenlet_switch(greenlet_current(), VAL(5)), VAL(5));
    CHECK_PTR(greenlet_current(), main_g);
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_t *g = greenlet_new(switch_to_self_inside, NULL, NULL);
    CHECK_PTR(greenlet_switch(g, VAL(3)), VAL(3));
    greenlet_unref(g);
}

/* Two greenlets keep address-taken locals across interleaved suspensions:
 * each must run on its own stack (R5). */
#define PATTERN_WORDS 512

static void *fill_and_verify(void *arg)
{
    uintptr_t seed = (uintptr_t)arg;
    volatile uintptr_t words[PATTERN_WORDS];
    for (int i = 0; i < PATTERN_WORDS; i++)
        words[i] = seed * 7919u + (uintptr_t)i;
    greenlet_switch(main_g, (void *)&words[0]);
    int bad = 0;
    for (int i = 0; i < PATTERN_WORDS; i++)
        bad += words[i] != seed * 7919u + (uintptr_t)i;
    return VAL(bad);
}

TEST(test_R5_each_greenlet_runs_on_its_own_stack)
{
    greenlet_t *a = greenlet_new(fill_and_verify, NULL, NULL);
    greenlet_t *b = greenlet_new(fill_and_verify, NULL, NULL);
    volatile uintptr_t mine[PATTERN_WORDS];
    for (int i = 0; i < PATTERN_WORDS; i++)
        mine[i] = (uintptr_t)i;
    char *pa = greenlet_switch(a, VAL(1));
    char *pb = greenlet_switch(b, VAL(2));
    CHECK(pa != pb);
    CHECK(pa != (char *)&mine[0]);
    CHECK(pb != (char *)&mine[0]);
    CHECK_PTR(greenlet_switch(b, NULL), VAL(0)); /* b's words intact */
    CHECK_PTR(greenlet_switch(a, NULL), VAL(0)); /* a's words intact */
    int bad = 0;
    for (int i = 0; i < PATTERN_WORDS; i++)
        bad += mine[i] != (uintptr_t)i;
    CHECK_INT(bad, 0);
    greenlet_unref(a);
    greenlet_unref(b);
}

TEST(test_R6_return_value_goes_to_the_parent_and_the_handle_stays_valid)
{
    int tag = 0;
    greenlet_attr_t attr = {0, "returner", &tag};
    greenlet_t *g = greenlet_new(return_arg_plus_one, NULL, &attr);
    CHECK_PTR(greenlet_switch(g, VAL(41)), VAL(42)); /* R6 */
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(g));
    CHECK_STR(greenlet_name(g), "returner"); /* valid for queries until unref */
    CHECK_PTR(greenlet_userdata(g), &tag);
    CHECK_PTR(greenlet_parent(g), main_g);
    greenlet_unref(g);
}

static greenlet_t *inner_g;

static void *switch_into_inner(void *arg)
{
    greenlet_switch(inner_g, arg);
    /* Resumed only by the kill: inner's value went to main, its parent. */
    CHECK_AND_CLEAR_ERROR(GREENLET_EXIT);
    return NULL;
}

TEST(test_R6_return_goes_to_the_parent_not_to_the_last_switcher)
{
    inner_g = greenlet_new(return_arg_plus_one, NULL, NULL); /* parent: main */
    greenlet_t *outer = greenlet_new(switch_into_inner, NULL, NULL);
    CHECK_PTR(greenlet_switch(outer, VAL(10)), VAL(11));
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(inner_g));
    CHECK_STR(greenlet_state_name(outer), "suspended");
    CHECK_INT(greenlet_kill(outer), 0);
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(outer);
    greenlet_unref(inner_g);
}

TEST(test_R3_starting_without_run_fails_every_time)
{
    struct trace_log log;
    greenlet_t *g = greenlet_new(NULL, NULL, NULL); /* R3: allowed */
    CHECK(g != NULL);
    CHECK_AND_CLEAR_ERROR(0);
    trace_log_start(&log);
    for (int i = 0; i < 2; i++) { /* every time */
        CHECK_PTR(greenlet_switch(g, VAL(1)), NULL);
        CHECK_AND_CLEAR_ERROR(GREENLET_ENORUN);
        CHECK_STR(greenlet_state_name(g), "unstarted");
        CHECK_PTR(greenlet_throw(g, 5, NULL), NULL); /* by throw too */
        CHECK_AND_CLEAR_ERROR(GREENLET_ENORUN);
        CHECK_STR(greenlet_state_name(g), "unstarted");
    }
    trace_log_stop();
    CHECK_INT(log.count, 0); /* nothing switched */
    CHECK_PTR(greenlet_current(), main_g);
    greenlet_unref(g);
}

int main(void)
{
    main_g = greenlet_current();
    RUN_TEST(test_R2_main_greenlet_exists_lazily_and_runs);
    RUN_TEST(test_R1_new_returns_an_unstarted_reference);
    RUN_TEST(test_R1_a_greenlet_holds_a_reference_to_its_parent);
    RUN_TEST(test_R1_a_running_greenlet_is_kept_alive);
    RUN_TEST(test_R1_a_new_greenlet_starts_clean_after_many_lives);
    RUN_TEST(test_R4_states_through_a_life);
    RUN_TEST(test_R4_queries_on_null_are_false_and_set_no_error);
    RUN_TEST(test_R5_switch_starts_run_with_the_value);
    RUN_TEST(test_R5_switch_resumes_a_suspended_greenlet_with_the_value);
    RUN_TEST(test_R5_switch_to_self_returns_the_value_at_once);
    RUN_TEST(test_R5_each_greenlet_runs_on_its_own_stack);
    RUN_TEST(test_R6_return_value_goes_to_the_parent_and_the_handle_stays_valid);
    RUN_TEST(test_R6_return_goes_to_the_parent_not_to_the_last_switcher);
    RUN_TEST(test_R3_starting_without_run_fails_every_time);
    return check_finish();
}

/* Dead forwarding: a value or error sent to a dead greenlet goes to its first
 * live ancestor (R7; R12 for throws into dead greenlets). */
#include "check.h"
#include "check_trace.h"
#include "check_stack.h"

static greenlet_t *main_g;

static void *return_arg(void *arg) { return arg; }

/* A greenlet that has run to its end, child of `parent`. */
static greenlet_t *new_dead_child(greenlet_t *parent)
{
    greenlet_t *g = greenlet_new(return_arg, NULL, NULL);
    greenlet_switch(g, NULL);
    CHECK(greenlet_dead(g));
    CHECK_INT(greenlet_set_parent(g, parent), 0);
    return g;
}

/* A suspended greenlet that reports what reaches it: each value or error it
 * receives is stored, then it switches to main with a marker. */
struct receiver {
    void *value;
    int code;
    void *payload;
    int resumed;
};

static void *receive_forever(void *arg)
{
    struct receiver *r = arg;
    void *v = greenlet_switch(main_g, NULL);
    for (;;) {
        r->resumed++;
        r->value = v;
        r->code = greenlet_error(&r->payload);
        greenlet_clear_error();
        if (r->code == GREENLET_EXIT)
            return NULL;
        v = greenlet_switch(main_g, VAL(0xAC));
    }
}

static greenlet_t *new_receiver(struct receiver *r)
{
    memset(r, 0, sizeof *r);
    greenlet_t *g = greenlet_new(receive_forever, NULL, NULL);
    greenlet_switch(g, r);
    CHECK_STR(greenlet_state_name(g), "suspended");
    return g;
}

TEST(test_R7_to_a_dead_child_of_the_caller_returns_at_once)
{
    greenlet_t *g = new_dead_child(main_g);
    CHECK_PTR(greenlet_switch(g, VAL(12)), VAL(12)); /* R7: the ancestor is the caller */
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_PTR(greenlet_current(), main_g);
    greenlet_unref(g);
}

TEST(test_R7_the_value_goes_to_the_first_live_ancestor)
{
    struct receiver r;
    greenlet_t *q = new_receiver(&r);
    greenlet_t *dead_parent = new_dead_child(q);
    greenlet_t *g = new_dead_child(dead_parent); /* g -> dead -> q */
    CHECK_PTR(greenlet_switch(g, VAL(33)), VAL(0xAC));
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_INT(r.resumed, 1);
    CHECK_PTR(r.value, VAL(33)); /* R7 */
    CHECK_INT(r.code, 0);
    CHECK_INT(greenlet_kill(q), 0);
    greenlet_unref(g);
    greenlet_unref(dead_parent);
    greenlet_unref(q);
}

static int ancestor_started_with;

static void *record_start_value(void *arg)
{
    ancestor_started_with = (int)(uintptr_t)arg;
    return VAL(1000 + (uintptr_t)arg);
}

TEST(test_R7_an_unstarted_ancestor_is_started_with_the_value)
{
    ancestor_started_with = 0;
    greenlet_t *p = greenlet_new(record_start_value, NULL, NULL);
    greenlet_t *g = new_dead_child(p);
    CHECK_PTR(greenlet_switch(g, VAL(5)), VAL(1005)); /* p ran, returned to main */
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_INT(ancestor_started_with, 5); /* R7 */
    CHECK(greenlet_dead(p));
    greenlet_unref(g);
    greenlet_unref(p);
}

TEST(test_R7_an_unstarted_ancestor_receiving_an_error_dies_without_running)
{
    struct receiver r;
    int payload = 0;
    greenlet_t *q = new_receiver(&r);
    ancestor_started_with = 0;
    greenlet_t *p = greenlet_new(record_start_value, q, NULL);
    greenlet_t *g = new_dead_child(p);
    CHECK_PTR(greenlet_throw(g, 21, &payload), VAL(0xAC));
    CHECK_AND_CLEAR_ERROR(0);           /* not the caller's: it went on up to q */
    CHECK(greenlet_dead(p));  /* R7: died ... */
    CHECK_INT(ancestor_started_with, 0); /* ... without running */
    CHECK_INT(r.code, 21);
    CHECK_PTR(r.payload, &payload);
    CHECK_PTR(r.value, NULL);
    CHECK_INT(greenlet_kill(q), 0);
    greenlet_unref(g);
    greenlet_unref(p);
    greenlet_unref(q);
}

/* R7, first case: the caller's own switch or throw reaches an unstarted
 * ancestor without run through dead greenlets only. It fails in the caller
 * exactly as if the caller had named that ancestor (R3): nothing switches,
 * the trace hook sees nothing, and the ancestor stays unstarted. */
static void check_enorun_in_the_caller(bool traced)
{
    struct receiver r;
    struct trace_log log;
    int payload = 0;
    greenlet_t *q = new_receiver(&r);
    greenlet_t *p = greenlet_new(NULL, q, NULL);
    greenlet_t *dead_parent = new_dead_child(p);
    greenlet_t *g = new_dead_child(dead_parent); /* g -> dead -> p (no run) -> q */
    if (traced)
        trace_log_start(&log);
    for (int attempt = 0; attempt < 2; attempt++) { /* the same every time */
        CHECK_PTR(greenlet_switch(g, VAL(3)), NULL);
        CHECK_AND_CLEAR_ERROR(GREENLET_ENORUN);
        CHECK_PTR(greenlet_throw(g, 21, &payload), NULL);
        CHECK_AND_CLEAR_ERROR(GREENLET_ENORUN);
        CHECK_PTR(greenlet_throw(g, GREENLET_EXIT, &payload), NULL);
        CHECK_AND_CLEAR_ERROR(GREENLET_ENORUN);
    }
    if (traced) {
        trace_log_stop();
        CHECK_INT(log.count, 0);
    }
    CHECK_INT(r.resumed, 0); /* nothing reached q */
    CHECK_PTR(greenlet_current(), main_g);
    CHECK_STR(greenlet_state_name(p), "unstarted");
    CHECK_STR(greenlet_state_name(q), "suspended");
    CHECK_INT(greenlet_kill(q), 0);
    greenlet_unref(g);
    greenlet_unref(dead_parent);
    greenlet_unref(p);
    greenlet_unref(q);
}

TEST(test_R7_a_callers_switch_past_the_dead_to_an_ancestor_without_run_fails_in_the_caller)
{
    check_enorun_in_the_caller(false);
}

TEST(test_R7_a_callers_switch_past_the_dead_to_an_ancestor_without_run_fails_in_the_caller_traced)
{
    check_enorun_in_the_caller(true);
}

/* R7, second case: what a dying greenlet sends up reaches an unstarted
 * ancestor without run; GREENLET_ENORUN goes on up from it, to its parent
 * chain. thrown: the child is thrown into before it starts and dies without
 * running (R12); otherwise it runs and returns. */
static void check_enorun_goes_up_from_a_dying_child(bool traced, bool thrown)
{
    struct receiver r;
    struct trace_log log;
    int payload = 0;
    greenlet_t *q = new_receiver(&r);
    greenlet_t *p = greenlet_new(NULL, q, NULL);
    greenlet_t *g = greenlet_new(return_arg, p, NULL);
    if (traced)
        trace_log_start(&log);
    void *got = thrown ? greenlet_throw(g, 21, &payload) : greenlet_switch(g, VAL(4));
    if (traced)
        trace_log_stop();
    CHECK_PTR(got, VAL(0xAC)); /* q's answer: the error went to q, not to the caller */
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(g));
    CHECK_STR(greenlet_state_name(p), "unstarted");
    CHECK_INT(r.resumed, 1);
    CHECK_INT(r.code, GREENLET_ENORUN);
    CHECK_PTR(r.value, NULL);
    if (traced) {
        CHECK_INT(log.count, 3);
        CHECK_EVENT(&log, 0, thrown ? GREENLET_EVENT_THROW : GREENLET_EVENT_SWITCH, main_g, g);
        CHECK_EVENT(&log, 1, GREENLET_EVENT_THROW, g, q); /* from the dying g, past p */
        CHECK_EVENT(&log, 2, GREENLET_EVENT_SWITCH, q, main_g);
    }
    CHECK_INT(greenlet_kill(q), 0);
    greenlet_unref(g);
    greenlet_unref(p);
    greenlet_unref(q);
}

TEST(test_R7_a_returning_child_of_an_ancestor_without_run_sends_ENORUN_up)
{
    check_enorun_goes_up_from_a_dying_child(false, false);
    check_enorun_goes_up_from_a_dying_child(true, false);
}

TEST(test_R7_R12_a_child_thrown_into_before_it_starts_sends_ENORUN_up)
{
    check_enorun_goes_up_from_a_dying_child(false, true);
    check_enorun_goes_up_from_a_dying_child(true, true);
}

/* Like a missing run: a stack that cannot be had for an ancestor that the
 * caller's own switch reaches fails in the caller (R7, R20). */
TEST(test_R7_a_callers_switch_past_the_dead_to_an_ancestor_without_a_stack_fails_in_the_caller)
{
    struct receiver r;
    greenlet_t *q = new_receiver(&r);
    greenlet_attr_t huge = {UNMAPPABLE_STACK_SIZE, "no-stack", NULL};
    ancestor_started_with = 0;
    greenlet_t *p = greenlet_new(record_start_value, q, &huge);
    CHECK(p != NULL);
    greenlet_t *g = new_dead_child(p);
    CHECK_PTR(greenlet_switch(g, VAL(3)), NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_ENOMEM);
    CHECK_INT(r.resumed, 0);
    CHECK_STR(greenlet_state_name(p), "unstarted");
    CHECK_INT(ancestor_started_with, 0);
    CHECK_INT(greenlet_kill(q), 0);
    greenlet_unref(g);
    greenlet_unref(p);
    greenlet_unref(q);
}

TEST(test_R7_R12_throw_into_a_dead_greenlet)
{
    int payload = 0;
    greenlet_t *g = new_dead_child(main_g);
    /* GREENLET_EXIT: its payload comes back as a value (R12). */
    CHECK_PTR(greenlet_throw(g, GREENLET_EXIT, &payload), &payload);
    CHECK_AND_CLEAR_ERROR(0);
    /* Another code is raised in the first live ancestor: here the caller. */
    CHECK_PTR(greenlet_throw(g, 17, &payload), NULL);
    void *got = NULL;
    CHECK_INT(greenlet_error(&got), 17);
    CHECK_PTR(got, &payload);
    greenlet_clear_error();

    struct receiver r;
    greenlet_t *q = new_receiver(&r);
    CHECK_INT(greenlet_set_parent(g, q), 0);
    CHECK_PTR(greenlet_throw(g, GREENLET_EXIT, &payload), VAL(0xAC));
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_INT(r.code, 0); /* EXIT became a value in q */
    CHECK_PTR(r.value, &payload);
    CHECK_PTR(greenlet_throw(g, 18, &payload), VAL(0xAC));
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_INT(r.code, 18);
    CHECK_PTR(r.payload, &payload);
    CHECK_INT(greenlet_kill(q), 0);
    greenlet_unref(g);
    greenlet_unref(q);
}

static void *return_arg_doubled(void *arg) { return VAL((uintptr_t)arg * 2); }

TEST(test_R7_a_finishing_greenlet_skips_a_dead_parent)
{
    struct receiver r;
    greenlet_t *q = new_receiver(&r);
    greenlet_t *dead_parent = new_dead_child(q);
    greenlet_t *g = greenlet_new(return_arg_doubled, dead_parent, NULL);
    CHECK_PTR(greenlet_switch(g, VAL(4)), VAL(0xAC)); /* 8 went past dead_parent to q */
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_PTR(r.value, VAL(8));
    CHECK_INT(greenlet_kill(q), 0);
    greenlet_unref(g);
    greenlet_unref(dead_parent);
    greenlet_unref(q);
}

int main(void)
{
    main_g = greenlet_current();
    RUN_TEST(test_R7_to_a_dead_child_of_the_caller_returns_at_once);
    RUN_TEST(test_R7_the_value_goes_to_the_first_live_ancestor);
    RUN_TEST(test_R7_an_unstarted_ancestor_is_started_with_the_value);
    RUN_TEST(test_R7_an_unstarted_ancestor_receiving_an_error_dies_without_running);
    RUN_TEST(test_R7_a_callers_switch_past_the_dead_to_an_ancestor_without_run_fails_in_the_caller);
    RUN_TEST(test_R7_a_callers_switch_past_the_dead_to_an_ancestor_without_run_fails_in_the_caller_traced);
    RUN_TEST(test_R7_a_returning_child_of_an_ancestor_without_run_sends_ENORUN_up);
    RUN_TEST(test_R7_R12_a_child_thrown_into_before_it_starts_sends_ENORUN_up);
    RUN_TEST(test_R7_a_callers_switch_past_the_dead_to_an_ancestor_without_a_stack_fails_in_the_caller);
    RUN_TEST(test_R7_R12_throw_into_a_dead_greenlet);
    RUN_TEST(test_R7_a_finishing_greenlet_skips_a_dead_parent);
    return check_finish();
}

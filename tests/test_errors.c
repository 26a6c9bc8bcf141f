/* Errors and throw: codes, pending errors, errors at return, throw
 * (R9 R10 R11 R12). */
#include "check.h"
#include "check_trace.h"

static greenlet_t *main_g;

TEST(test_R9_library_codes_are_negative_distinct_and_named)
{
    const int codes[] = {GREENLET_EXIT,    GREENLET_EINVAL, GREENLET_ENOMEM, GREENLET_ETHREAD,
                         GREENLET_ECYCLE,  GREENLET_ENORUN, GREENLET_EALIVE};
    const char *names[] = {"GREENLET_EXIT",   "GREENLET_EINVAL", "GREENLET_ENOMEM", "GREENLET_ETHREAD",
                           "GREENLET_ECYCLE", "GREENLET_ENORUN", "GREENLET_EALIVE"};
    size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 0; i < n; i++) {
        CHECK(codes[i] < 0); /* R9 */
        for (size_t j = i + 1; j < n; j++)
            CHECK(codes[i] != codes[j]);
        CHECK_CONTAINS(greenlet_strerror(codes[i]), names[i]);
    }
    CHECK_STR(greenlet_strerror(0), "no error");
    CHECK_STR(greenlet_strerror(42), "user error");
    CHECK(greenlet_strerror(-12345) != NULL);
    CHECK_AND_CLEAR_ERROR(0);
}

TEST(test_R9_R10_raise_sets_replaces_and_clears_the_pending_error)
{
    int a = 0, b = 0;
    void *payload = &payload;
    CHECK_INT(greenlet_error(&payload), 0);
    CHECK_STR(greenlet_error_message(), "");
    greenlet_raise(5, &a);
    CHECK_INT(greenlet_error(NULL), 5);
    CHECK_INT(greenlet_error(&payload), 5); /* reading does not clear */
    CHECK_PTR(payload, &a);
    CHECK(greenlet_error_message() != NULL);
    greenlet_raise(6, &b); /* R10: at most one, the new one replaces */
    CHECK_INT(greenlet_error(&payload), 6);
    CHECK_PTR(payload, &b);
    greenlet_raise(0, NULL); /* code 0 clears */
    CHECK_INT(greenlet_error(NULL), 0);
    greenlet_raise(7, NULL);
    greenlet_clear_error();
    CHECK_INT(greenlet_error(NULL), 0);
    CHECK_STR(greenlet_error_message(), "");
}

TEST(test_R10_library_errors_carry_a_message)
{
    CHECK_PTR(greenlet_switch(NULL, VAL(1)), NULL);
    CHECK_INT(greenlet_error(NULL), GREENLET_EINVAL);
    CHECK(strlen(greenlet_error_message()) > 0); /* R10 */
    greenlet_clear_error();
}

static void *keep_error_across_switch(void *arg)
{
    int *payload = arg;
    greenlet_raise(7, payload);
    void *v = greenlet_switch(main_g, VAL(1)); /* the error stays here */
    CHECK_PTR(v, VAL(2));
    void *p = NULL;
    CHECK_INT(greenlet_error(&p), 7); /* R10: still pending when resumed */
    CHECK_PTR(p, payload);
    greenlet_clear_error();
    return VAL(3);
}

TEST(test_R10_a_pending_error_stays_with_its_greenlet_across_switches)
{
    int payload = 0;
    greenlet_t *g = greenlet_new(keep_error_across_switch, NULL, NULL);
    CHECK_PTR(greenlet_switch(g, &payload), VAL(1));
    CHECK_AND_CLEAR_ERROR(0); /* not carried by the switch */
    greenlet_raise(8, NULL); /* main switches with its own error pending */
    CHECK_PTR(greenlet_switch(g, VAL(2)), VAL(3));
    CHECK_AND_CLEAR_ERROR(8); /* main's error is still main's */
    greenlet_unref(g);
}

static void *return_with_error_pending(void *arg)
{
    greenlet_raise(9, arg);
    return VAL(1234); /* R11: discarded */
}

TEST(test_R11_an_error_pending_at_return_goes_to_the_parent)
{
    int payload = 0;
    greenlet_t *g = greenlet_new(return_with_error_pending, NULL, NULL);
    CHECK_PTR(greenlet_switch(g, &payload), NULL);
    void *p = NULL;
    CHECK_INT(greenlet_error(&p), 9); /* R11 */
    CHECK_PTR(p, &payload);
    greenlet_clear_error();
    CHECK(greenlet_dead(g));
    greenlet_unref(g);
}

static void *return_with_exit_pending(void *arg)
{
    greenlet_raise(GREENLET_EXIT, arg);
    return VAL(1234);
}

TEST(test_R11_a_pending_exit_at_return_is_swallowed)
{
    int payload = 0;
    greenlet_t *g = greenlet_new(return_with_exit_pending, NULL, NULL);
    CHECK_PTR(greenlet_switch(g, &payload), &payload); /* R11: the payload as a value */
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(g));
    greenlet_unref(g);
}

static void *catch_thrown_error(void *arg)
{
    void *v = greenlet_switch(main_g, arg);
    CHECK_PTR(v, NULL); /* R10: resumed with an error: NULL ... */
    void *p = NULL;
    int code = greenlet_error(&p); /* ... and the error pending here */
    greenlet_clear_error();
    greenlet_switch(main_g, VAL(code));
    return p;
}

TEST(test_R12_throw_raises_at_the_switch_point)
{
    int payload = 0;
    greenlet_t *g = greenlet_new(catch_thrown_error, NULL, NULL);
    greenlet_switch(g, NULL);
    CHECK_PTR(greenlet_throw(g, 31, &payload), VAL(31)); /* R12 */
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_PTR(greenlet_switch(g, NULL), &payload);
    greenlet_unref(g);
}

static void *return_right_after_switch(void *arg)
{
    return greenlet_switch(main_g, arg); /* an error thrown here is not handled */
}

/* q: waits; reports each error that reaches it to main as its code. */
static void *report_errors_to_main(void *arg)
{
    void *v = greenlet_switch(main_g, arg);
    for (;;) {
        int code = greenlet_error(NULL);
        greenlet_clear_error();
        if (code == GREENLET_EXIT)
            return v;
        v = greenlet_switch(main_g, VAL(1000 + code));
    }
}

TEST(test_R12_an_unhandled_thrown_error_goes_to_the_parent_not_the_thrower)
{
    greenlet_t *q = greenlet_new(report_errors_to_main, NULL, NULL);
    greenlet_switch(q, NULL);
    greenlet_t *g = greenlet_new(return_right_after_switch, q, NULL);
    greenlet_switch(g, NULL); /* g waits in a switch to main */
    CHECK_PTR(greenlet_throw(g, 41, NULL), VAL(1041)); /* q got it, not main (R12) */
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(g));
    CHECK_INT(greenlet_kill(q), 0);
    greenlet_unref(g);
    greenlet_unref(q);

    /* The thrower is the parent: then it gets the error back. */
    g = greenlet_new(return_right_after_switch, NULL, NULL);
    greenlet_switch(g, NULL);
    CHECK_PTR(greenlet_throw(g, 42, NULL), NULL);
    CHECK_AND_CLEAR_ERROR(42);
    CHECK(greenlet_dead(g));
    greenlet_unref(g);
}

static int unstarted_ran;

static void *must_not_run(void *arg)
{
    unstarted_ran = 1;
    return arg;
}

TEST(test_R12_throw_into_an_unstarted_greenlet_kills_it_without_running)
{
    int payload = 0;
    unstarted_ran = 0;
    greenlet_t *g = greenlet_new(must_not_run, NULL, NULL);
    CHECK_PTR(greenlet_throw(g, 51, &payload), NULL);
    void *p = NULL;
    CHECK_INT(greenlet_error(&p), 51); /* went to its parent, main */
    CHECK_PTR(p, &payload);
    greenlet_clear_error();
    CHECK(greenlet_dead(g));
    CHECK_INT(unstarted_ran, 0);
    greenlet_unref(g);

    /* GREENLET_EXIT into an unstarted greenlet: the payload goes as a value. */
    g = greenlet_new(must_not_run, NULL, NULL);
    CHECK_PTR(greenlet_throw(g, GREENLET_EXIT, &payload), &payload);
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(g));
    CHECK_INT(unstarted_ran, 0);
    greenlet_unref(g);

    /* With another parent, the error goes there. */
    greenlet_t *q = greenlet_new(report_errors_to_main, NULL, NULL);
    greenlet_switch(q, NULL);
    g = greenlet_new(must_not_run, q, NULL);
    CHECK_PTR(greenlet_throw(g, 52, NULL), VAL(1052));
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(g));
    CHECK_INT(unstarted_ran, 0);
    CHECK_INT(greenlet_kill(q), 0);
    greenlet_unref(g);
    greenlet_unref(q);
}

static void *raise_then_wait(void *arg)
{
    greenlet_raise(61, NULL);
    greenlet_switch(main_g, arg);
    void *p = NULL;
    int code = greenlet_error(&p); /* the thrown error replaced ours */
    greenlet_clear_error();
    return VAL(code * 1000 + (p == arg));
}

TEST(test_R10_R12_a_thrown_error_replaces_a_pending_one)
{
    int payload = 0;
    greenlet_t *g = greenlet_new(raise_then_wait, NULL, NULL);
    greenlet_switch(g, &payload);
    CHECK_PTR(greenlet_throw(g, 62, &payload), VAL(62001));
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(g);
}

TEST(test_R12_throw_to_self_raises_in_the_caller)
{
    int payload = 0;
    CHECK_PTR(greenlet_throw(greenlet_current(), 71, &payload), NULL);
    void *p = NULL;
    CHECK_INT(greenlet_error(&p), 71);
    CHECK_PTR(p, &payload);
    greenlet_clear_error();
    CHECK_PTR(greenlet_current(), main_g);
}

TEST(test_R12_R13_throw_with_code_zero_is_misuse)
{
    struct trace_log log;
    greenlet_t *g = greenlet_new(must_not_run, NULL, NULL);
    unstarted_ran = 0;
    trace_log_start(&log);
    CHECK_PTR(greenlet_throw(g, 0, NULL), NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    trace_log_stop();
    CHECK_INT(log.count, 0);
    CHECK_STR(greenlet_state_name(g), "unstarted");
    CHECK_INT(unstarted_ran, 0);
    greenlet_unref(g);
}

int main(void)
{
    main_g = greenlet_current();
    RUN_TEST(test_R9_library_codes_are_negative_distinct_and_named);
    RUN_TEST(test_R9_R10_raise_sets_replaces_and_clears_the_pending_error);
    RUN_TEST(test_R10_library_errors_carry_a_message);
    RUN_TEST(test_R10_a_pending_error_stays_with_its_greenlet_across_switches);
    RUN_TEST(test_R11_an_error_pending_at_return_goes_to_the_parent);
    RUN_TEST(test_R11_a_pending_exit_at_return_is_swallowed);
    RUN_TEST(test_R12_throw_raises_at_the_switch_point);
    RUN_TEST(test_R12_an_unhandled_thrown_error_goes_to_the_parent_not_the_thrower);
    RUN_TEST(test_R12_throw_into_an_unstarted_greenlet_kills_it_without_running);
    RUN_TEST(test_R10_R12_a_thrown_error_replaces_a_pending_one);
    RUN_TEST(test_R12_throw_to_self_raises_in_the_caller);
    RUN_TEST(test_R12_R13_throw_with_code_zero_is_misuse);
    return check_finish();
}

/* Parents: defaults, re-parenting, refusals (R8, R2 for the main greenlet). */
#include "check.h"
#include "check_trace.h"

static greenlet_t *main_g;

static void *return_arg(void *arg) { return arg; }

static void *create_child_inside(void *arg)
{
    greenlet_t *self = greenlet_current();
    greenlet_t *by_default = greenlet_new(return_arg, NULL, NULL);
    CHECK_PTR(greenlet_parent(by_default), self); /* R8: the current greenlet */
    greenlet_unref(by_default);
    return arg;
}

TEST(test_R8_parent_defaults_to_the_current_greenlet)
{
    greenlet_t *g = greenlet_new(create_child_inside, NULL, NULL);
    CHECK_PTR(greenlet_parent(g), main_g);
    greenlet_t *explicit_parent = greenlet_new(return_arg, g, NULL);
    CHECK_PTR(greenlet_parent(explicit_parent), g);
    CHECK_PTR(greenlet_switch(g, VAL(4)), VAL(4));
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(explicit_parent);
    greenlet_unref(g);
}

TEST(test_R2_R8_a_main_greenlet_has_no_parent_and_cannot_get_one)
{
    greenlet_t *g = greenlet_new(return_arg, NULL, NULL);
    struct trace_log log;
    trace_log_start(&log);
    CHECK_PTR(greenlet_parent(main_g), NULL);
    CHECK_INT(greenlet_set_parent(main_g, g), GREENLET_EINVAL); /* R2, R8 */
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_INT(greenlet_set_parent(main_g, main_g), GREENLET_EINVAL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    trace_log_stop();
    CHECK_INT(log.count, 0);
    CHECK_PTR(greenlet_parent(main_g), NULL);
    greenlet_unref(g);
}

TEST(test_R8_null_arguments_are_refused)
{
    greenlet_t *g = greenlet_new(return_arg, NULL, NULL);
    CHECK_INT(greenlet_set_parent(g, NULL), GREENLET_EINVAL); /* R8 */
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_PTR(greenlet_parent(g), main_g);
    CHECK_INT(greenlet_set_parent(NULL, g), GREENLET_EINVAL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    greenlet_unref(g);
}

TEST(test_R8_cycles_are_refused)
{
    greenlet_t *a = greenlet_new(return_arg, NULL, NULL);
    greenlet_t *b = greenlet_new(return_arg, a, NULL);
    greenlet_t *c = greenlet_new(return_arg, b, NULL);
    CHECK_INT(greenlet_set_parent(a, a), GREENLET_ECYCLE); /* its own parent */
    CHECK_AND_CLEAR_ERROR(GREENLET_ECYCLE);
    CHECK_INT(greenlet_set_parent(a, b), GREENLET_ECYCLE); /* its own grandparent */
    CHECK_AND_CLEAR_ERROR(GREENLET_ECYCLE);
    CHECK_INT(greenlet_set_parent(a, c), GREENLET_ECYCLE);
    CHECK_AND_CLEAR_ERROR(GREENLET_ECYCLE);
    CHECK_PTR(greenlet_parent(a), main_g); /* unchanged */
    CHECK_PTR(greenlet_parent(b), a);
    CHECK_PTR(greenlet_parent(c), b);
    /* Moving c up is fine, and the same parent again is no cycle. */
    CHECK_INT(greenlet_set_parent(c, a), 0);
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_PTR(greenlet_parent(c), a);
    CHECK_INT(greenlet_set_parent(c, a), 0);
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(c);
    greenlet_unref(b);
    greenlet_unref(a);
}

static void *wait_then_report(void *arg)
{
    void *v = greenlet_switch(main_g, arg);
    return VAL((uintptr_t)v + 100);
}

static void *return_plus_one(void *arg) { return (char *)arg + 1; }

TEST(test_R8_a_new_parent_receives_the_return_value)
{
    greenlet_t *p = greenlet_new(wait_then_report, NULL, NULL);
    CHECK_PTR(greenlet_switch(p, VAL(0)), VAL(0)); /* p is suspended */
    greenlet_t *g = greenlet_new(return_plus_one, NULL, NULL);
    CHECK_INT(greenlet_set_parent(g, p), 0); /* R8 */
    CHECK_PTR(greenlet_parent(g), p);
    /* g returns 6 to p, which adds 100 and returns to main. */
    CHECK_PTR(greenlet_switch(g, VAL(5)), VAL(106));
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(p));
    greenlet_unref(g);
    greenlet_unref(p);
}

static void *reparent_self_then_return(void *arg)
{
    greenlet_t *new_parent = arg;
    CHECK_INT(greenlet_set_parent(greenlet_current(), new_parent), 0); /* while running */
    return VAL(7);
}

TEST(test_R8_a_running_greenlet_can_be_reparented)
{
    greenlet_t *p = greenlet_new(wait_then_report, NULL, NULL);
    greenlet_switch(p, VAL(0));
    greenlet_t *g = greenlet_new(reparent_self_then_return, NULL, NULL);
    CHECK_PTR(greenlet_switch(g, p), VAL(107)); /* 7 went to p, p returned 107 */
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(g);
    greenlet_unref(p);
}

TEST(test_R8_replacing_a_parent_releases_the_old_one)
{
    /* The old parent's only other reference goes; under ASan a wrong count
     * shows up as a leak or a use after free. */
    greenlet_attr_t old_attr = {0, "old", NULL}, new_attr = {0, "new", NULL};
    greenlet_t *old_parent = greenlet_new(return_arg, NULL, &old_attr);
    greenlet_t *new_parent = greenlet_new(return_arg, NULL, &new_attr);
    greenlet_t *g = greenlet_new(return_arg, old_parent, NULL);
    greenlet_unref(old_parent);
    CHECK_STR(greenlet_name(greenlet_parent(g)), "old");
    CHECK_INT(greenlet_set_parent(g, new_parent), 0);
    greenlet_unref(new_parent);
    CHECK_STR(greenlet_name(greenlet_parent(g)), "new");
    greenlet_unref(g);
}

int main(void)
{
    main_g = greenlet_current();
    RUN_TEST(test_R8_parent_defaults_to_the_current_greenlet);
    RUN_TEST(test_R2_R8_a_main_greenlet_has_no_parent_and_cannot_get_one);
    RUN_TEST(test_R8_null_arguments_are_refused);
    RUN_TEST(test_R8_cycles_are_refused);
    RUN_TEST(test_R8_a_new_parent_receives_the_return_value);
    RUN_TEST(test_R8_a_running_greenlet_can_be_reparented);
    RUN_TEST(test_R8_replacing_a_parent_releases_the_old_one);
    return check_finish();
}

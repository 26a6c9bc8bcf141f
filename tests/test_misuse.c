/* API misuse (R13): every case returns NULL or a negative code, leaves the
 * error pending in the caller, and switches nothing (a trace hook counts
 * events; the current greenlet and the target's state are unchanged). The
 * wrong-thread cases are in native/test_threads.c. */
#include "check.h"
#include "check_trace.h"
#include "check_stack.h"
#include "testing.h"

static greenlet_t *main_g;

struct misuse {
    struct trace_log log;
    greenlet_t *current;
};

static void misuse_begin(struct misuse *m)
{
    m->current = greenlet_current();
    trace_log_start(&m->log);
}

#define MISUSE_END(m)                                                                              \
    do {                                                                                           \
        trace_log_stop();                                                                          \
        CHECK_INT((m)->log.count, 0); /* nothing switched */                                       \
        CHECK_PTR(greenlet_current(), (m)->current);                                               \
    } while (0)

static void *return_arg(void *arg) { return arg; }

/* After misuse, ordinary work must still succeed. */
static void check_still_working(void)
{
    greenlet_t *g = greenlet_new(return_arg, NULL, NULL);
    CHECK_PTR(greenlet_switch(g, VAL(77)), VAL(77));
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(g);
}

TEST(test_R13_null_handles)
{
    struct misuse m;
    misuse_begin(&m);
    CHECK_PTR(greenlet_switch(NULL, VAL(1)), NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_PTR(greenlet_throw(NULL, 3, NULL), NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_INT(greenlet_kill(NULL), GREENLET_EINVAL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_INT(greenlet_set_parent(NULL, main_g), GREENLET_EINVAL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_PTR(greenlet_context(NULL), NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_INT(greenlet_set_context(NULL, NULL), GREENLET_EINVAL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    MISUSE_END(&m);
    check_still_working();
}

TEST(test_R13_throw_with_code_zero)
{
    struct misuse m;
    greenlet_t *g = greenlet_new(return_arg, NULL, NULL);
    misuse_begin(&m);
    CHECK_PTR(greenlet_throw(g, 0, NULL), NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_PTR(greenlet_throw(main_g, 0, NULL), NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    MISUSE_END(&m);
    CHECK_STR(greenlet_state_name(g), "unstarted");
    greenlet_unref(g);
}

TEST(test_R13_cyclic_parents_and_a_main_greenlets_parent)
{
    struct misuse m;
    greenlet_t *a = greenlet_new(return_arg, NULL, NULL);
    greenlet_t *b = greenlet_new(return_arg, a, NULL);
    misuse_begin(&m);
    CHECK_INT(greenlet_set_parent(a, b), GREENLET_ECYCLE);
    CHECK_AND_CLEAR_ERROR(GREENLET_ECYCLE);
    CHECK_INT(greenlet_set_parent(a, a), GREENLET_ECYCLE);
    CHECK_AND_CLEAR_ERROR(GREENLET_ECYCLE);
    CHECK_INT(greenlet_set_parent(main_g, a), GREENLET_EINVAL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_INT(greenlet_set_parent(a, NULL), GREENLET_EINVAL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    MISUSE_END(&m);
    CHECK_PTR(greenlet_parent(a), main_g);
    CHECK_PTR(greenlet_parent(b), a);
    CHECK_PTR(greenlet_parent(main_g), NULL);
    greenlet_unref(b);
    greenlet_unref(a);
    check_still_working();
}

TEST(test_R13_R3_starting_a_greenlet_without_run)
{
    struct misuse m;
    greenlet_t *g = greenlet_new(NULL, NULL, NULL);
    misuse_begin(&m);
    CHECK_PTR(greenlet_switch(g, VAL(1)), NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_ENORUN);
    CHECK_PTR(greenlet_throw(g, GREENLET_EXIT, NULL), NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_ENORUN);
    MISUSE_END(&m);
    CHECK_STR(greenlet_state_name(g), "unstarted");
    greenlet_unref(g);
}

/* Kills that must be refused, tried from inside a child (so that "current",
 * "main" and "live ancestor" are three different greenlets). */
static void *refused_kills_inside(void *arg)
{
    greenlet_t *outer = arg;
    struct misuse m;
    misuse_begin(&m);
    CHECK_INT(greenlet_kill(greenlet_current()), GREENLET_EINVAL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_INT(greenlet_kill(main_g), GREENLET_EINVAL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_INT(greenlet_kill(outer), GREENLET_EINVAL); /* a live ancestor */
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    MISUSE_END(&m);
    return NULL;
}

static void *run_inner(void *arg)
{
    greenlet_t *inner = greenlet_new(refused_kills_inside, NULL, NULL);
    greenlet_switch(inner, greenlet_current());
    greenlet_unref(inner);
    return arg;
}

TEST(test_R13_R14_refused_kills)
{
    greenlet_t *outer = greenlet_new(run_inner, NULL, NULL);
    CHECK_PTR(greenlet_switch(outer, VAL(2)), VAL(2));
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(outer);
}

static int huge_ran;

static void *huge_run(void *arg)
{
    huge_ran = 1;
    return arg;
}

static void *switch_to_huge(void *arg)
{
    greenlet_t *huge = arg;
    struct misuse m;
    misuse_begin(&m);
    CHECK_PTR(greenlet_switch(huge, VAL(1)), NULL); /* the caller here is not main */
    CHECK_AND_CLEAR_ERROR(GREENLET_ENOMEM);
    MISUSE_END(&m);
    return VAL(5);
}

TEST(test_R13_R20_a_stack_that_cannot_be_allocated)
{
    struct misuse m;
    greenlet_attr_t attr = {UNMAPPABLE_STACK_SIZE, "huge", NULL};
    huge_ran = 0;
    greenlet_t *g = greenlet_new(huge_run, NULL, &attr);
    CHECK(g != NULL); /* the stack is taken at the first switch */
    CHECK_AND_CLEAR_ERROR(0);
    misuse_begin(&m);
    CHECK_PTR(greenlet_switch(g, VAL(1)), NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_ENOMEM);
    CHECK(strlen(greenlet_error_message()) == 0); /* cleared with the error */
    CHECK_PTR(greenlet_switch(g, VAL(1)), NULL); /* again: same */
    CHECK_INT(greenlet_error(NULL), GREENLET_ENOMEM);
    CHECK(strlen(greenlet_error_message()) > 0);
    greenlet_clear_error();
    MISUSE_END(&m);
    CHECK_STR(greenlet_state_name(g), "unstarted");
    CHECK_INT(huge_ran, 0);

    greenlet_t *caller = greenlet_new(switch_to_huge, NULL, NULL);
    CHECK_PTR(greenlet_switch(caller, g), VAL(5));
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_STR(greenlet_state_name(g), "unstarted");
    CHECK_INT(huge_ran, 0);
    greenlet_unref(caller);

    attr.stack_size = SIZE_MAX; /* arithmetic on it must not wrap */
    greenlet_t *max = greenlet_new(huge_run, NULL, &attr);
    CHECK(max != NULL);
    CHECK_PTR(greenlet_switch(max, VAL(1)), NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_ENOMEM);
    CHECK_STR(greenlet_state_name(max), "unstarted");
    CHECK_INT(huge_ran, 0);
    greenlet_unref(max);
    greenlet_unref(g);
    check_still_working();
}

TEST(test_R13_out_of_memory_at_creation)
{
    struct misuse m;
    greenlet_attr_t named = {0, "needs-a-copy", NULL};
    misuse_begin(&m);
    glet_testing_fail_allocations(0);
    CHECK_PTR(greenlet_new(return_arg, NULL, NULL), NULL);
    glet_testing_fail_allocations(-1);
    CHECK_AND_CLEAR_ERROR(GREENLET_ENOMEM);
    glet_testing_fail_allocations(1); /* the greenlet, then not its name */
    CHECK_PTR(greenlet_new(return_arg, NULL, &named), NULL);
    glet_testing_fail_allocations(-1);
    CHECK_AND_CLEAR_ERROR(GREENLET_ENOMEM);
    MISUSE_END(&m);
    check_still_working();
}

static void *spawn_and_finish(void *arg)
{
    greenlet_attr_t named = {0, "grandchild", NULL};
    greenlet_t *child = greenlet_new(return_arg, NULL, &named);
    if (child == NULL) {
        int code = greenlet_error(NULL);
        greenlet_clear_error(); /* else it would go to our parent (R11) */
        return VAL(code == GREENLET_ENOMEM ? 2 : 3);
    }
    void *v = greenlet_switch(child, arg);
    greenlet_unref(child);
    return v;
}

TEST(test_R13_out_of_memory_at_every_allocation_of_a_scenario)
{
    /* Fail the n-th allocation for each n: every call either works or
     * reports GREENLET_ENOMEM; nothing crashes or leaks (see ASan builds). */
    int completed = 0;
    for (long n = 0; n < 8; n++) {
        glet_testing_fail_allocations(n);
        greenlet_attr_t named = {0, "child", NULL};
        greenlet_t *g = greenlet_new(spawn_and_finish, NULL, &named);
        if (g == NULL) {
            glet_testing_fail_allocations(-1);
            CHECK_AND_CLEAR_ERROR(GREENLET_ENOMEM);
            continue;
        }
        void *v = greenlet_switch(g, VAL(9));
        glet_testing_fail_allocations(-1);
        CHECK_AND_CLEAR_ERROR(0);
        CHECK(v == VAL(9) || v == VAL(2)); /* 2: the grandchild could not be made */
        completed += v == VAL(9);
        CHECK(greenlet_dead(g));
        greenlet_unref(g);
    }
    CHECK(completed > 0);
    check_still_working();
}

int main(void)
{
    main_g = greenlet_current();
    RUN_TEST(test_R13_null_handles);
    RUN_TEST(test_R13_throw_with_code_zero);
    RUN_TEST(test_R13_cyclic_parents_and_a_main_greenlets_parent);
    RUN_TEST(test_R13_R3_starting_a_greenlet_without_run);
    RUN_TEST(test_R13_R14_refused_kills);
    RUN_TEST(test_R13_R20_a_stack_that_cannot_be_allocated);
    RUN_TEST(test_R13_out_of_memory_at_creation);
    RUN_TEST(test_R13_out_of_memory_at_every_allocation_of_a_scenario);
    return check_finish();
}

/* Stacks: per-greenlet sizes, reuse through the pool, many live stacks
 * (R20, R6 for the release at death). Native sizes and the system-call count
 * are checked in native/test_stack_sizes.c; failures to allocate in
 * test_misuse.c. */
#include "check.h"
#include "check_stack.h"

static greenlet_t *main_g;

TEST(test_R20_stack_sizes_are_per_greenlet_with_a_default)
{
    greenlet_attr_t dflt = {0, "default", NULL}; /* 0: the default */
    greenlet_attr_t tiny = {1, "tiny", NULL};    /* rounded up to a usable size */
    greenlet_attr_t big = {1024 * 1024, "big", NULL};
    greenlet_t *a = greenlet_new(use_arg_bytes_of_stack, NULL, &dflt);
    greenlet_t *b = greenlet_new(use_arg_bytes_of_stack, NULL, &tiny);
    greenlet_t *c = greenlet_new(use_arg_bytes_of_stack, NULL, &big);
    CHECK_PTR(greenlet_switch(a, VAL(16 * 1024)), VAL(0));
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_PTR(greenlet_switch(b, VAL(2 * 1024)), VAL(0));
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_PTR(greenlet_switch(c, VAL(512 * 1024)), VAL(0));
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(a);
    greenlet_unref(b);
    greenlet_unref(c);
}

static uintptr_t local_address;

static void *record_a_local_address(void *arg)
{
    volatile char local = 0;
    local_address = (uintptr_t)&local;
    return arg;
}

TEST(test_R20_R6_a_finished_greenlets_stack_is_reused_at_once)
{
    greenlet_attr_t attr = {64 * 1024, NULL, NULL};
    greenlet_t *first = greenlet_new(record_a_local_address, NULL, &attr);
    greenlet_switch(first, NULL);
    uintptr_t a1 = local_address;
    CHECK(greenlet_dead(first));
    /* first is still referenced, yet its stack went back to the pool (R6) and
     * the next greenlet of that size runs on it (R20). */
    greenlet_t *second = greenlet_new(record_a_local_address, NULL, &attr);
    greenlet_switch(second, NULL);
    uintptr_t a2 = local_address;
    CHECK_AND_CLEAR_ERROR(0);
    uintptr_t distance = a1 > a2 ? a1 - a2 : a2 - a1;
    CHECK(distance < 4096);
    greenlet_unref(first);
    greenlet_unref(second);
}

static void *hold_a_value_on_the_stack(void *arg)
{
    volatile uintptr_t mine[16];
    for (int i = 0; i < 16; i++)
        mine[i] = (uintptr_t)arg + (uintptr_t)i;
    greenlet_switch(main_g, NULL);
    int bad = 0;
    for (int i = 0; i < 16; i++)
        bad += mine[i] != (uintptr_t)arg + (uintptr_t)i;
    return VAL(bad);
}

TEST(test_R20_many_stacks_live_at_once)
{
    enum { N = 200 };
    static greenlet_t *gs[N];
    greenlet_attr_t attr = {16 * 1024, NULL, NULL};
    for (int i = 0; i < N; i++) {
        gs[i] = greenlet_new(hold_a_value_on_the_stack, NULL, &attr);
        CHECK(gs[i] != NULL);
        greenlet_switch(gs[i], VAL(i * 100));
        CHECK_AND_CLEAR_ERROR(0);
    }
    int bad = 0;
    for (int i = N - 1; i >= 0; i--) {
        bad += greenlet_switch(gs[i], NULL) != VAL(0);
        greenlet_unref(gs[i]);
    }
    CHECK_INT(bad, 0);
    CHECK_AND_CLEAR_ERROR(0);
}

static void *return_arg(void *arg) { return arg; }

TEST(test_R20_a_steady_stream_of_short_greenlets)
{
    /* Pooled stacks make this cheap; it must also stay correct. */
    uintptr_t sum = 0;
    for (uintptr_t i = 0; i < 5000; i++) {
        greenlet_t *g = greenlet_new(return_arg, NULL, NULL);
        sum += (uintptr_t)greenlet_switch(g, VAL(i));
        greenlet_unref(g);
    }
    CHECK_INT(sum, (uintptr_t)5000 * 4999 / 2);
    CHECK_AND_CLEAR_ERROR(0);
}

int main(void)
{
    main_g = greenlet_current();
    RUN_TEST(test_R20_stack_sizes_are_per_greenlet_with_a_default);
    RUN_TEST(test_R20_R6_a_finished_greenlets_stack_is_reused_at_once);
    RUN_TEST(test_R20_many_stacks_live_at_once);
    RUN_TEST(test_R20_a_steady_stream_of_short_greenlets);
    return check_finish();
}

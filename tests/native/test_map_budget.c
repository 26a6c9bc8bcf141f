/* The fallback guards (R13, R20, R21): without MADV_GUARD_INSTALL (forced
 * here with GREENLET_STACK_GUARDS=mprotect, as on kernels before 6.13) each
 * guard page is a memory mapping of its own, and vm.max_map_count (65530 by
 * default) runs out near 32,000 stacks. Then a start fails with
 * GREENLET_ENOMEM and a message that names vm.max_map_count, the greenlet
 * stays unstarted (never on an unguarded stack), and everything already
 * running is intact and runs to completion.
 * Native-only: memory mappings are the native backend's. */
#include <stdlib.h>

#include "check.h"
#include "testing.h"

/* More than any default mapping budget allows. */
#define AT_MOST 100000

static void *suspend_then_answer(void *arg)
{
    void *v = greenlet_switch(greenlet_parent(greenlet_current()), arg);
    return VAL((uintptr_t)v + 1);
}

TEST(test_R13_R20_the_mapping_budget_ends_with_ENOMEM_naming_vm_max_map_count)
{
    greenlet_attr_t attr = {1, "budget", NULL}; /* the smallest stacks: less address space */
    greenlet_t **all = calloc(AT_MOST, sizeof *all);
    CHECK(all != NULL);
    size_t made = 0;
    greenlet_t *refused = NULL;
    for (; all != NULL && made < AT_MOST; made++) {
        greenlet_t *g = greenlet_new(suspend_then_answer, NULL, &attr);
        CHECK(g != NULL);
        if (greenlet_switch(g, VAL(made)) != VAL(made)) {
            refused = g;
            break;
        }
        all[made] = g;
    }
    CHECK_STR(glet_testing_stack_guards(), "mprotect");
    printf("%zu greenlets started before the budget ran out\n", made);
    CHECK(refused != NULL);
    CHECK(made > 1000);
    CHECK_CONTAINS(greenlet_error_message(), "vm.max_map_count");
    CHECK_AND_CLEAR_ERROR(GREENLET_ENOMEM);
    CHECK_STR(greenlet_state_name(refused), "unstarted"); /* R20: it never ran */

    for (size_t i = 0; i < made; i++) {
        CHECK_PTR(greenlet_switch(all[i], VAL(i)), VAL(i + 1));
        CHECK(greenlet_dead(all[i]));
        greenlet_unref(all[i]);
    }
    CHECK_AND_CLEAR_ERROR(0);
    free(all);
    /* Stacks are back: the one refused starts now. */
    CHECK_PTR(greenlet_switch(refused, VAL(41)), VAL(41));
    CHECK_PTR(greenlet_switch(refused, VAL(41)), VAL(42));
    CHECK(greenlet_dead(refused));
    greenlet_unref(refused);
}

int main(void)
{
    setenv("GREENLET_STACK_GUARDS", "mprotect", 1); /* before the first stack */
    greenlet_current();
    RUN_TEST(test_R13_R20_the_mapping_budget_ends_with_ENOMEM_naming_vm_max_map_count);
    return check_finish();
}

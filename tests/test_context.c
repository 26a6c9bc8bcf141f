/* Context slot, user data and names (R18 R19). The cross-thread context rules
 * are in native/test_threads.c. */
#include "check.h"

static greenlet_t *main_g;

static int ctx_main, ctx_g, ctx_later;

static void *check_own_context(void *arg)
{
    greenlet_t *self = greenlet_current();
    CHECK_PTR(greenlet_context(self), &ctx_g); /* set before start */
    CHECK_PTR(greenlet_context(main_g), &ctx_main);
    greenlet_switch(main_g, NULL);
    CHECK_PTR(greenlet_context(self), &ctx_later); /* set while suspended */
    CHECK_INT(greenlet_set_context(self, NULL), 0); /* while running */
    greenlet_switch(main_g, NULL);
    return NULL;
}

TEST(test_R18_each_greenlet_keeps_its_own_context_across_switches)
{
    greenlet_t *g = greenlet_new(check_own_context, NULL, NULL);
    CHECK_PTR(greenlet_context(g), NULL); /* none by default */
    CHECK_INT(greenlet_set_context(main_g, &ctx_main), 0);
    CHECK_INT(greenlet_set_context(g, &ctx_g), 0); /* unstarted */
    greenlet_switch(g, NULL);
    CHECK_PTR(greenlet_context(main_g), &ctx_main); /* R18: swapped back */
    CHECK_PTR(greenlet_context(g), &ctx_g);
    CHECK_INT(greenlet_set_context(g, &ctx_later), 0); /* suspended */
    greenlet_switch(g, NULL);
    CHECK_PTR(greenlet_context(g), NULL);
    CHECK_PTR(greenlet_context(main_g), &ctx_main);
    greenlet_switch(g, NULL);
    CHECK(greenlet_dead(g));
    CHECK_INT(greenlet_set_context(g, &ctx_later), 0); /* dead */
    CHECK_PTR(greenlet_context(g), &ctx_later);
    CHECK_INT(greenlet_set_context(main_g, NULL), 0);
    CHECK_AND_CLEAR_ERROR(0);
    greenlet_unref(g);
}

TEST(test_R18_R13_a_null_handle_is_refused)
{
    CHECK_PTR(greenlet_context(NULL), NULL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_INT(greenlet_set_context(NULL, &ctx_g), GREENLET_EINVAL);
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
}

static void *return_arg(void *arg) { return arg; }

TEST(test_R19_userdata_and_a_copied_name)
{
    char name[16];
    strcpy(name, "fetcher");
    int data = 0;
    greenlet_attr_t attr = {0, name, &data};
    greenlet_t *g = greenlet_new(return_arg, NULL, &attr);
    strcpy(name, "changed"); /* the name was copied */
    CHECK_STR(greenlet_name(g), "fetcher");
    CHECK_PTR(greenlet_userdata(g), &data);
    greenlet_switch(g, NULL);
    CHECK_STR(greenlet_name(g), "fetcher"); /* still there when dead */
    CHECK_PTR(greenlet_userdata(g), &data);
    greenlet_unref(g);

    greenlet_t *plain = greenlet_new(return_arg, NULL, NULL);
    CHECK_PTR(greenlet_name(plain), NULL);
    CHECK_PTR(greenlet_userdata(plain), NULL);
    greenlet_unref(plain);
    greenlet_attr_t unnamed = {0, NULL, &data};
    plain = greenlet_new(return_arg, NULL, &unnamed);
    CHECK_PTR(greenlet_name(plain), NULL);
    CHECK_PTR(greenlet_userdata(plain), &data);
    greenlet_unref(plain);
    CHECK_AND_CLEAR_ERROR(0);
    /* Whether these set an error is not specified: only that they do not crash. */
    CHECK_PTR(greenlet_name(NULL), NULL);
    CHECK_PTR(greenlet_userdata(NULL), NULL);
    greenlet_clear_error();
}

int main(void)
{
    main_g = greenlet_current();
    RUN_TEST(test_R18_each_greenlet_keeps_its_own_context_across_switches);
    RUN_TEST(test_R18_R13_a_null_handle_is_refused);
    RUN_TEST(test_R19_userdata_and_a_copied_name);
    return check_finish();
}

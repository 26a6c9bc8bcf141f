/* The library's internals stay private (R13: nothing of the user's is
 * disturbed): this program defines a function or variable under every name
 * the library's internals once had, links the static library as users do,
 * and runs greenlets; each of its own definitions must be the one it calls.
 * Natively the installed archive exposes greenlet_* alone (its internals are
 * local symbols); on WebAssembly they carry the glet_ prefix. */
#include "check.h"

static int own_calls;

#define OWN(name)                                                                                  \
    void name(void);                                                                               \
    void name(void) { own_calls++; }

OWN(backend_context_finish)
OWN(backend_context_init_main)
OWN(backend_context_start)
OWN(backend_default_stack_size)
OWN(backend_min_stack_size)
OWN(backend_stack_map)
OWN(backend_stack_unmap)
OWN(backend_switch)
OWN(backend_thread_exit)
OWN(backend_thread_init)
OWN(core_calloc)
OWN(core_greenlet_entry)
OWN(core_report_overflow)
OWN(core_strdup)
OWN(error_clear)
OWN(error_set)
OWN(free_deferred)
OWN(greenlet_alloc)
OWN(greenlet_label)
OWN(greenlet_native_make)
OWN(greenlet_native_swap)
OWN(greenlet_wasm_get_sp)
OWN(greenlet_wasm_set_sp)
OWN(kill_greenlet)
OWN(overflow_check_save)
OWN(overflow_check_stack)
OWN(overflow_fill_guard)
OWN(platform_on_thread_exit)
OWN(platform_parent_links_lock)
OWN(platform_parent_links_unlock)
OWN(platform_thread_os_id)
OWN(platform_yield)
OWN(raise_in_current)
OWN(stack_pool_drain)
OWN(stack_pool_give)
OWN(stack_pool_take)
OWN(switch_to)
OWN(testing_fail_allocations)
OWN(thread_state_describe)
OWN(thread_state_get_slow)
OWN(thread_state_live_add)
OWN(thread_state_live_remove)
OWN(thread_state_lock)
OWN(thread_state_peek)
OWN(thread_state_release)
OWN(thread_state_unlock)
OWN(wrong_thread)
#define OWN_COUNT 47

/* Variables too. */
int core_this_thread = 1;
int overflow_running = 2;

static void *ping(void *arg)
{
    void *v = greenlet_switch(greenlet_parent(greenlet_current()), arg);
    greenlet_raise(5, v);
    return NULL;
}

TEST(test_R13_a_program_may_use_the_names_of_the_librarys_internals)
{
    greenlet_t *g = greenlet_new(ping, NULL, NULL);
    CHECK_PTR(greenlet_switch(g, VAL(1)), VAL(1));
    CHECK_PTR(greenlet_switch(g, VAL(2)), NULL);
    void *payload = NULL;
    CHECK_INT(greenlet_error(&payload), 5);
    CHECK_PTR(payload, VAL(2));
    greenlet_clear_error();
    CHECK(greenlet_dead(g));
    greenlet_unref(g);
    CHECK_PTR(greenlet_switch(NULL, NULL), NULL); /* an error path, with its message */
    CHECK_AND_CLEAR_ERROR(GREENLET_EINVAL);
    CHECK_INT(own_calls, 0); /* the library called none of ours */

    backend_context_finish(); backend_context_init_main(); backend_context_start();
    backend_default_stack_size(); backend_min_stack_size(); backend_stack_map(); backend_stack_unmap();
    backend_switch(); backend_thread_exit(); backend_thread_init(); core_calloc(); core_greenlet_entry();
    core_report_overflow(); core_strdup(); error_clear(); error_set(); free_deferred(); greenlet_alloc();
    greenlet_label(); greenlet_native_make(); greenlet_native_swap(); greenlet_wasm_get_sp();
    greenlet_wasm_set_sp(); kill_greenlet(); overflow_check_save(); overflow_check_stack(); overflow_fill_guard();
    platform_on_thread_exit(); platform_parent_links_lock(); platform_parent_links_unlock();
    platform_thread_os_id(); platform_yield(); raise_in_current(); stack_pool_drain(); stack_pool_give();
    stack_pool_take(); switch_to(); testing_fail_allocations(); thread_state_describe(); thread_state_get_slow();
    thread_state_live_add(); thread_state_live_remove(); thread_state_lock(); thread_state_peek();
    thread_state_release(); thread_state_unlock(); wrong_thread();
    CHECK_INT(own_calls, OWN_COUNT); /* each name is ours */
    CHECK_INT(core_this_thread + overflow_running, 3);
}

int main(void)
{
    RUN_TEST(test_R13_a_program_may_use_the_names_of_the_librarys_internals);
    return check_finish();
}

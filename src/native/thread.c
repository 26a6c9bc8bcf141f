/*
 * Native backend: what each thread sets up and tears down (src/backend.h):
 * the overflow report's alternate signal stack, and the thread's stack
 * regions.
 */
#include "../backend.h"
#include "overflow.h"
#include "stack.h"

int glet_backend_thread_init(void) { return glet_overflow_thread_init(); }

void glet_backend_thread_exit(void)
{
    glet_stack_regions_release_all();
    glet_overflow_thread_exit();
}

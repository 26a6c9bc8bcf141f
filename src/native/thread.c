/*
 * Native backend: what each thread sets up and tears down (src/backend.h):
 * the overflow report's alternate signal stack, and the thread's stack
 * regions.
 */
#include "../backend.h"
#include "overflow.h"
#include "stack.h"

int backend_thread_init(void) { return overflow_thread_init(); }

void backend_thread_exit(void)
{
    stack_regions_release_all();
    overflow_thread_exit();
}

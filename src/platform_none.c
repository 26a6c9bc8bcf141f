/* Platforms without threads (WebAssembly without pthreads): one thread, which
 * never exits while the program runs. */
#include "internal.h"

void platform_on_thread_exit(void (*fn)(void *), void *arg)
{
    (void)fn;
    (void)arg;
}

long platform_thread_os_id(void) { return 0; }

void platform_parent_links_lock(void) {}

void platform_parent_links_unlock(void) {}

void platform_yield(void) {}

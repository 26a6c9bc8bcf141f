/* Platforms without threads (WebAssembly without pthreads): one thread, which
 * never exits while the program runs. */
#include "internal.h"

void glet_platform_on_thread_exit(void (*fn)(void *), void *arg)
{
    (void)fn;
    (void)arg;
}

long glet_platform_thread_os_id(void) { return 0; }

void glet_platform_parent_links_lock(void) {}

void glet_platform_parent_links_unlock(void) {}

void glet_platform_yield(void) {}

/* The platform layer for POSIX threads: thread-exit hook, thread ids, and the
 * lock that guards parent links. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#include "internal.h"

static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static void (*_Atomic exit_hook)(void *); /* every thread stores the same function */

static void run_exit_hook(void *arg) { atomic_load_explicit(&exit_hook, memory_order_relaxed)(arg); }

static void make_exit_key(void) { pthread_key_create(&exit_key, run_exit_hook); }

void glet_platform_on_thread_exit(void (*fn)(void *), void *arg)
{
    atomic_store_explicit(&exit_hook, fn, memory_order_relaxed);
    pthread_once(&exit_key_once, make_exit_key);
    pthread_setspecific(exit_key, arg);
}

long glet_platform_thread_os_id(void)
{
#if defined(__linux__) && defined(SYS_gettid)
    return (long)syscall(SYS_gettid);
#else
    return (long)(size_t)pthread_self();
#endif
}

static pthread_mutex_t parent_links = PTHREAD_MUTEX_INITIALIZER;

void glet_platform_parent_links_lock(void) { pthread_mutex_lock(&parent_links); }

void glet_platform_parent_links_unlock(void) { pthread_mutex_unlock(&parent_links); }

void glet_platform_yield(void) { sched_yield(); }

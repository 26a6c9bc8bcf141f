/* The thread calls the native tests make: POSIX threads, or Win32 threads on
 * Windows, where libgreenlet itself uses no pthreads either. */
#ifndef GREENLET_TESTS_THREADS_H
#define GREENLET_TESTS_THREADS_H

#include <stdbool.h>
#include <stdlib.h>

#ifdef _WIN32
#include <windows.h>

typedef HANDLE test_thread;
typedef DWORD test_thread_id;
typedef SRWLOCK test_mutex;
typedef CONDITION_VARIABLE test_cond;

struct test_thread_start_args {
    void *(*fn)(void *);
    void *arg;
};

static DWORD WINAPI test_thread_trampoline(void *p)
{
    struct test_thread_start_args args = *(struct test_thread_start_args *)p;
    free(p);
    args.fn(args.arg);
    return 0;
}

/* 0, or nonzero when the thread could not be made. */
static inline int test_thread_start(test_thread *t, void *(*fn)(void *), void *arg)
{
    struct test_thread_start_args *args = malloc(sizeof *args);
    if (args == NULL)
        return 1;
    *args = (struct test_thread_start_args){fn, arg};
    *t = CreateThread(NULL, 0, test_thread_trampoline, args, 0, NULL);
    if (*t == NULL) {
        free(args);
        return 1;
    }
    return 0;
}

static inline int test_thread_join(test_thread t)
{
    DWORD rc = WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    return rc == WAIT_OBJECT_0 ? 0 : 1;
}

static inline test_thread_id test_thread_self(void) { return GetCurrentThreadId(); }
static inline bool test_thread_same(test_thread_id a, test_thread_id b) { return a == b; }

static inline void test_mutex_init(test_mutex *m) { InitializeSRWLock(m); }
static inline void test_mutex_destroy(test_mutex *m) { (void)m; }
static inline void test_mutex_lock(test_mutex *m) { AcquireSRWLockExclusive(m); }
static inline void test_mutex_unlock(test_mutex *m) { ReleaseSRWLockExclusive(m); }
static inline void test_cond_init(test_cond *c) { InitializeConditionVariable(c); }
static inline void test_cond_destroy(test_cond *c) { (void)c; }
static inline void test_cond_wait(test_cond *c, test_mutex *m) { SleepConditionVariableSRW(c, m, INFINITE, 0); }
static inline void test_cond_broadcast(test_cond *c) { WakeAllConditionVariable(c); }

#else
#include <pthread.h>

typedef pthread_t test_thread;
typedef pthread_t test_thread_id;
typedef pthread_mutex_t test_mutex;
typedef pthread_cond_t test_cond;

static inline int test_thread_start(test_thread *t, void *(*fn)(void *), void *arg)
{
    return pthread_create(t, NULL, fn, arg);
}
static inline int test_thread_join(test_thread t) { return pthread_join(t, NULL); }
static inline test_thread_id test_thread_self(void) { return pthread_self(); }
static inline bool test_thread_same(test_thread_id a, test_thread_id b) { return pthread_equal(a, b); }

static inline void test_mutex_init(test_mutex *m) { pthread_mutex_init(m, NULL); }
static inline void test_mutex_destroy(test_mutex *m) { pthread_mutex_destroy(m); }
static inline void test_mutex_lock(test_mutex *m) { pthread_mutex_lock(m); }
static inline void test_mutex_unlock(test_mutex *m) { pthread_mutex_unlock(m); }
static inline void test_cond_init(test_cond *c) { pthread_cond_init(c, NULL); }
static inline void test_cond_destroy(test_cond *c) { pthread_cond_destroy(c); }
static inline void test_cond_wait(test_cond *c, test_mutex *m) { pthread_cond_wait(c, m); }
static inline void test_cond_broadcast(test_cond *c) { pthread_cond_broadcast(c); }
#endif

#endif

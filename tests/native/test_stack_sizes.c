/* Native stacks (R20): the 256 KiB default, the 16 KiB minimum, large stacks,
 * and no system call in the steady state thanks to the pool.
 * Native-only: the sizes are the native backend's, and the system calls are
 * counted by wrapping them at link time (-Wl,--wrap), which only a native
 * static link offers: mmap/munmap/mprotect/madvise, or on Windows the import
 * pointers of VirtualAlloc/VirtualFree (__imp_*, what a call goes through). */
#include "check.h"
#include "check_stack.h"

/* ---- counting the library's memory-mapping calls ---- */

#ifdef _WIN32
#include <windows.h>

static long alloc_calls, free_calls;

typedef LPVOID(WINAPI *virtual_alloc_fn)(LPVOID, SIZE_T, DWORD, DWORD);
typedef BOOL(WINAPI *virtual_free_fn)(LPVOID, SIZE_T, DWORD);
extern virtual_alloc_fn __real___imp_VirtualAlloc;
extern virtual_free_fn __real___imp_VirtualFree;

static LPVOID WINAPI counting_virtual_alloc(LPVOID addr, SIZE_T size, DWORD type, DWORD protect)
{
    alloc_calls++;
    return __real___imp_VirtualAlloc(addr, size, type, protect);
}

static BOOL WINAPI counting_virtual_free(LPVOID addr, SIZE_T size, DWORD type)
{
    free_calls++;
    return __real___imp_VirtualFree(addr, size, type);
}

virtual_alloc_fn __wrap___imp_VirtualAlloc = counting_virtual_alloc;
virtual_free_fn __wrap___imp_VirtualFree = counting_virtual_free;

static long system_calls(void) { return alloc_calls + free_calls; }
static long guard_calls(void) { return alloc_calls; } /* commit + PAGE_GUARD */
#else
#include <sys/mman.h>
#include <sys/types.h>

static long mmap_calls, munmap_calls, mprotect_calls, madvise_calls;

void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int __real_munmap(void *addr, size_t len);
int __real_mprotect(void *addr, size_t len, int prot);
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int __wrap_munmap(void *addr, size_t len);
int __wrap_mprotect(void *addr, size_t len, int prot);
int __real_madvise(void *addr, size_t len, int advice);
int __wrap_madvise(void *addr, size_t len, int advice);

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    mmap_calls++;
    return __real_mmap(addr, len, prot, flags, fd, off);
}

int __wrap_munmap(void *addr, size_t len)
{
    munmap_calls++;
    return __real_munmap(addr, len);
}

int __wrap_mprotect(void *addr, size_t len, int prot)
{
    mprotect_calls++;
    return __real_mprotect(addr, len, prot);
}

int __wrap_madvise(void *addr, size_t len, int advice)
{
    madvise_calls++;
    return __real_madvise(addr, len, advice);
}

static long system_calls(void) { return mmap_calls + munmap_calls + mprotect_calls + madvise_calls; }
static long guard_calls(void) { return madvise_calls + mprotect_calls; }
#endif

/* ---- using stack ---- */

static void run_with_stack(size_t stack_size, size_t use)
{
    greenlet_attr_t attr = {stack_size, "user", NULL};
    greenlet_t *g = greenlet_new(use_arg_bytes_of_stack, NULL, &attr);
    CHECK_PTR(greenlet_switch(g, VAL(use)), VAL(0));
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(g));
    greenlet_unref(g);
}

TEST(test_R20_the_default_stack_holds_200_KiB)
{
    run_with_stack(0, 200 * 1024); /* default: 256 KiB */
}

TEST(test_R20_small_sizes_are_rounded_up_to_16_KiB)
{
    run_with_stack(1, 10 * 1024);
    run_with_stack(4096, 10 * 1024);
}

TEST(test_R20_a_large_stack_is_usable)
{
    run_with_stack(4 * 1024 * 1024, 3 * 1024 * 1024);
}

static void *return_arg(void *arg) { return arg; }

TEST(test_R20_the_steady_state_makes_no_system_call)
{
    greenlet_attr_t attr = {64 * 1024, NULL, NULL};
    /* Warm up: the first stack of this size is mapped once. */
    greenlet_t *g = greenlet_new(return_arg, NULL, &attr);
    long before_first = system_calls();
    greenlet_switch(g, NULL);
    greenlet_unref(g);
    CHECK(system_calls() > before_first); /* the counter does see the library */
    CHECK(guard_calls() > 0); /* the guard of the first stack */

    long before = system_calls();
    for (int i = 0; i < 1000; i++) {
        g = greenlet_new(return_arg, NULL, &attr);
        CHECK_PTR(greenlet_switch(g, VAL(i)), VAL(i));
        greenlet_unref(g);
    }
    CHECK_INT(system_calls(), before); /* R20: all from the pool */
    CHECK_AND_CLEAR_ERROR(0);
}

int main(void)
{
    greenlet_current();
    RUN_TEST(test_R20_the_default_stack_holds_200_KiB);
    RUN_TEST(test_R20_small_sizes_are_rounded_up_to_16_KiB);
    RUN_TEST(test_R20_a_large_stack_is_usable);
    RUN_TEST(test_R20_the_steady_state_makes_no_system_call);
    return check_finish();
}

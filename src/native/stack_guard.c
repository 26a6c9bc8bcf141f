/*
 * Guard pages below native stacks (R21), made one of two ways:
 *
 *   madvise(MADV_GUARD_INSTALL)  Linux 6.13 and later: the kernel marks the
 *                                pages in the page tables; the mapping is not
 *                                split, so a million guarded stacks carved
 *                                from a few large mappings stay within
 *                                vm.max_map_count.
 *   mprotect(PROT_NONE)          everywhere: each guard splits the mapping it
 *                                lies in, so a stack costs two mappings and
 *                                vm.max_map_count (65530 by default) caps a
 *                                process near 32,000 stacks.
 *
 * The first guard decides, once per process. A kernel without guard regions
 * answers EINVAL, but an emulator (qemu-user 7.2) or a filter may answer 0
 * and do nothing, so a guard that madvise reports installed is checked: the
 * kernel must refuse to read it (write(2) of one of its bytes into a pipe
 * fails with EFAULT, where a real access would fault). Anything else falls
 * back to mprotect; a stack is never handed out unguarded.
 * GREENLET_STACK_GUARDS=mprotect in the environment forces the fallback
 * (tests run the whole suite so).
 *
 * Guard regions can be installed for many stacks in one system call:
 * process_madvise() on the process itself (PIDFD_SELF, Linux 6.15 and later;
 * no file descriptor, so nothing to redo after fork). Where it is refused, one
 * madvise() per guard. mprotect guards are made one at a time, only when
 * their stack is needed: each costs mappings from the process's budget.
 */
#define _GNU_SOURCE
#include "stack_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
#define PIDFD_SELF_PROCESS (-10001) /* PIDFD_SELF_THREAD_GROUP */
#define BATCH_MAX 64
/* How far ahead of use one call installs guards. Farther is fewer system
 * calls, but on a hypervisor that shadows page tables (PVM, our benchmark
 * machine) guards written into page tables that no stack had touched yet made
 * the next access to each of those stacks, after its first touch, cost a
 * hidden 10 us: five times a release's whole budget. 2.5 MiB ahead did not,
 * 3.2 MiB did for the smallest stacks, 5 MiB for the default (docs/stacks.md). */
#define BATCH_SPAN ((size_t)2 << 20)

static atomic_bool batches_refused; /* process_madvise said no once: do not ask again */

enum guard_kind { GUARD_UNDECIDED, GUARD_MADVISE, GUARD_MPROTECT };

static atomic_int decided_kind; /* enum guard_kind; threads that race decide alike */

/* The kernel refuses to read the first byte of lo: it is a real guard. */
static int reads_are_refused(const char *lo)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return 0;
    ssize_t n = write(fds[1], lo, 1);
    int refused = n < 0 && errno == EFAULT;
    close(fds[0]);
    close(fds[1]);
    return refused;
}

static int forced_mprotect(void)
{
    const char *forced = getenv("GREENLET_STACK_GUARDS");
    return forced != NULL && strcmp(forced, "mprotect") == 0;
}

static int install_with_mprotect(char *lo, size_t len, const char **why)
{
    if (mprotect(lo, len, PROT_NONE) == 0)
        return 0;
    *why = errno == ENOMEM ? "vm.max_map_count reached: without MADV_GUARD_INSTALL (Linux 6.13+) each guarded stack "
                             "costs two memory mappings"
                           : "its guard page could not be protected (mprotect failed)";
    return -1;
}

/* Guard regions for count guards of len bytes, stride apart from lo, in one
 * system call. Returns how many were installed (0 if the call is refused). */
static size_t install_batch(char *lo, size_t stride, size_t count, size_t len)
{
#ifdef SYS_process_madvise
    if (count < 2 || atomic_load_explicit(&batches_refused, memory_order_relaxed))
        return 0;
    struct iovec guards[BATCH_MAX];
    if (count > BATCH_MAX)
        count = BATCH_MAX;
    if (count > BATCH_SPAN / stride)
        count = BATCH_SPAN / stride;
    for (size_t i = 0; i < count; i++)
        guards[i] = (struct iovec){lo + i * stride, len};
    long done = syscall(SYS_process_madvise, PIDFD_SELF_PROCESS, guards, count, MADV_GUARD_INSTALL, 0);
    if (done <= 0) {
        atomic_store_explicit(&batches_refused, true, memory_order_relaxed);
        return 0;
    }
    return (size_t)done / len;
#else
    (void)lo, (void)stride, (void)count, (void)len;
    return 0;
#endif
}

size_t glet_stack_guard_install(char *lo, size_t stride, size_t count, size_t len, const char **why)
{
    int kind = atomic_load_explicit(&decided_kind, memory_order_relaxed);
    if (kind == GUARD_MADVISE) {
        size_t done = install_batch(lo, stride, count, len);
        if (done > 0 || madvise(lo, len, MADV_GUARD_INSTALL) == 0)
            return done > 0 ? done : 1;
        *why = errno == ENOMEM ? "out of memory for the page tables of its guard (madvise MADV_GUARD_INSTALL failed)"
                               : "its guard could not be installed (madvise MADV_GUARD_INSTALL failed)";
        return 0;
    }
    if (kind == GUARD_UNDECIDED) {
        kind = GUARD_MPROTECT;
        if (!forced_mprotect() && madvise(lo, len, MADV_GUARD_INSTALL) == 0) {
            if (reads_are_refused(lo))
                kind = GUARD_MADVISE;
            /* else: a no-op that claimed success; mprotect below covers it */
        }
        atomic_store_explicit(&decided_kind, kind, memory_order_relaxed);
        if (kind == GUARD_MADVISE)
            return 1;
    }
    return install_with_mprotect(lo, len, why) == 0 ? 1 : 0;
}

const char *glet_stack_guard_kind(void)
{
    switch (atomic_load_explicit(&decided_kind, memory_order_relaxed)) {
    case GUARD_MADVISE:
        return "madvise";
    case GUARD_MPROTECT:
        return "mprotect";
    default:
        return "";
    }
}

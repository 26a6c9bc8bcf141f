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
 */
#define _GNU_SOURCE
#include "stack_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

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
    *why = errno == ENOMEM ? "the process has as many memory mappings as the kernel allows (vm.max_map_count); "
                             "without MADV_GUARD_INSTALL (Linux 6.13 and later) each guarded stack costs two"
                           : "its guard page could not be protected (mprotect failed)";
    return -1;
}

int glet_stack_guard_install(char *lo, size_t len, const char **why)
{
    int kind = atomic_load_explicit(&decided_kind, memory_order_relaxed);
    if (kind == GUARD_MADVISE) {
        if (madvise(lo, len, MADV_GUARD_INSTALL) == 0)
            return 0;
        *why = errno == ENOMEM ? "out of memory for the page tables of its guard (madvise MADV_GUARD_INSTALL failed)"
                               : "its guard could not be installed (madvise MADV_GUARD_INSTALL failed)";
        return -1;
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
            return 0;
    }
    return install_with_mprotect(lo, len, why);
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

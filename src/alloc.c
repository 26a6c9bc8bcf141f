/* The core's heap allocations, with the fault injection of testing.h. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testing.h"

static atomic_long allocations_until_failure = -1;

void glet_testing_fail_allocations(long after) { atomic_store(&allocations_until_failure, after); }

static bool injected_failure(void)
{
    long left = atomic_load_explicit(&allocations_until_failure, memory_order_relaxed);
    while (left > 0) {
        if (atomic_compare_exchange_weak(&allocations_until_failure, &left, left - 1))
            return false;
    }
    return left == 0;
}

void *glet_calloc(size_t size)
{
    return injected_failure() ? NULL : calloc(1, size);
}

char *glet_strdup(const char *s)
{
    if (injected_failure())
        return NULL;
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy != NULL)
        memcpy(copy, s, n);
    return copy;
}

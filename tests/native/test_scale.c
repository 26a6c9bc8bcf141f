/* Scale (R20, R21): a hundred thousand greenlets suspended at once, three
 * times what one mmap and one guard page per stack allowed (vm.max_map_count
 * stopped a process at 32,751), each on a guarded stack; all resumed to
 * completion; and once they are gone, their stacks' pages are given back.
 * Native-only: memory mappings, resident pages and guard kinds are the
 * native backend's (src/native/stack.c).
 *
 * GREENLET_SCALE_GREENLETS (set by tests/CMakeLists.txt) is smaller under
 * tools that keep state per stack (TSan's fibers, valgrind's stack list). */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "check_stack.h"
#include "testing.h"

#ifndef GREENLET_SCALE_GREENLETS
#define GREENLET_SCALE_GREENLETS 100000
#endif
/* Within the mapping budget of mprotect'd guards (two mappings a stack;
 * test_map_budget.c goes to its end). */
#define MPROTECT_GREENLETS 20000

static int by_value(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return x < y ? -1 : x > y;
}

/* How many of the process's memory mappings hold at least one of the n
 * addresses (sorted): only our stacks' mappings, whatever else tools map. */
static size_t mappings_holding(const uintptr_t *sorted, size_t n)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    size_t holding = 0;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx", &lo, &hi) != 2)
            continue;
        size_t first = 0, end = n; /* the first address >= lo */
        while (first < end) {
            size_t mid = first + (end - first) / 2;
            if (sorted[mid] < lo)
                first = mid + 1;
            else
                end = mid;
        }
        holding += first < n && sorted[first] < hi;
    }
    if (f != NULL)
        fclose(f);
    return holding;
}

/* Each greenlet notes where its stack is, then waits. */
static uintptr_t *stack_addresses;

static void *suspend_then_answer(void *arg)
{
    char here = 0;
    if (stack_addresses != NULL)
        stack_addresses[(uintptr_t)arg] = (uintptr_t)&here;
    void *v = greenlet_switch(greenlet_parent(greenlet_current()), arg);
    return VAL((uintptr_t)v * 2 + 1);
}

TEST(test_R20_R21_a_hundred_thousand_greenlets_suspended_at_once)
{
    /* 64-bit: the default size. A 32-bit address space holds about 12,000
     * stacks of 256 KiB, so there the smallest size. */
    size_t stack_size = sizeof(void *) >= 8 ? 0 : 1;
    size_t n = sizeof(void *) >= 8 ? GREENLET_SCALE_GREENLETS : 20000;
    if (n > GREENLET_SCALE_GREENLETS)
        n = GREENLET_SCALE_GREENLETS;
    greenlet_attr_t attr = {stack_size, "many", NULL};

    /* One first, so that the guard kind is decided. */
    greenlet_t *first = greenlet_new(suspend_then_answer, NULL, &attr);
    CHECK_PTR(greenlet_switch(first, VAL(7)), VAL(7));
    CHECK_PTR(greenlet_switch(first, VAL(3)), VAL(7));
    greenlet_unref(first);
    bool cheap_guards = strcmp(glet_testing_stack_guards(), "madvise") == 0;
    const char *forced = getenv("GREENLET_STACK_GUARDS");
    if (forced != NULL && strcmp(forced, "mprotect") == 0)
        CHECK_STR(glet_testing_stack_guards(), "mprotect");
    if (!cheap_guards && n > MPROTECT_GREENLETS)
        n = MPROTECT_GREENLETS;
    printf("%zu greenlets, guards by %s\n", n, glet_testing_stack_guards());

    size_t resident_before = glet_testing_stack_resident_bytes();
    greenlet_t **all = calloc(n, sizeof *all);
    stack_addresses = calloc(n, sizeof *stack_addresses);
    CHECK(all != NULL && stack_addresses != NULL);
    size_t made = 0, max_ahead = 0;
    for (; all != NULL && stack_addresses != NULL && made < n; made++) {
        all[made] = greenlet_new(suspend_then_answer, NULL, &attr);
        if (all[made] == NULL || greenlet_switch(all[made], VAL(made)) != VAL(made)) {
            CHECK_AND_CLEAR_ERROR(0);
            break;
        }
        /* Guards go in at most 2 MiB ahead of use (src/native/stack_guard.c
         * says why), however many a call could install. */
        size_t ahead = glet_testing_stack_guarded_ahead((const void *)stack_addresses[made]);
        if (ahead > max_ahead)
            max_ahead = ahead;
    }
    CHECK_INT(made, n);
    printf("guards installed at most %zu bytes ahead of use\n", max_ahead);
    if (cheap_guards)
        CHECK(max_ahead <= (size_t)2 << 20);
    size_t suspended = 0;
    for (size_t i = 0; i < made; i++)
        suspended += strcmp(greenlet_state_name(all[i]), "suspended") == 0;
    CHECK_INT(suspended, n);
    size_t resident_during = glet_testing_stack_resident_bytes();
    printf("stacks resident: %zu bytes before, %zu with them suspended\n", resident_before, resident_during);
    CHECK(resident_during != SIZE_MAX && resident_during >= resident_before + n * 4096 / 2);
    if (stack_addresses != NULL) {
        qsort(stack_addresses, made, sizeof *stack_addresses, by_value);
        size_t holding = mappings_holding(stack_addresses, made);
        size_t slot, slots = 1;
        CHECK(glet_testing_stack_place((const void *)stack_addresses[0], &slot, &slots));
        printf("their stacks lie in %zu memory mappings (regions of %zu stacks)\n", holding, slots);
        if (cheap_guards)
            CHECK(holding <= made / slots + 2); /* a guarded stack costs no mapping */
        else
            CHECK(holding == made);             /* each its own, between guards */
    }
    free(stack_addresses);
    stack_addresses = NULL;

    for (size_t i = 0; i < made; i++) {
        CHECK_PTR(greenlet_switch(all[i], VAL(i)), VAL(i * 2 + 1));
        CHECK(greenlet_dead(all[i]));
        greenlet_unref(all[i]);
    }
    CHECK_AND_CLEAR_ERROR(0);
    free(all);

    /* What stays resident: the pool's warm stacks and a batch not yet given
     * back (src/native/stack.c), far less than a MiB. */
    size_t resident_after = glet_testing_stack_resident_bytes();
    printf("stacks resident after: %zu bytes\n", resident_after);
    CHECK(resident_after <= resident_before + 1024 * 1024);
}

/* Stacks given back beyond the pool have their pages released; taken again,
 * they work (their pages read as zero), and their guards are still there
 * (test_overflow.c). Each round uses 64 KiB of 300 stacks, then kills them. */
static void *use_then_suspend(void *arg)
{
    int bad = use_stack((size_t)(uintptr_t)arg);
    greenlet_switch(greenlet_parent(greenlet_current()), NULL);
    return VAL(bad);
}

TEST(test_R20_stacks_are_reused_after_their_pages_were_given_back)
{
    greenlet_attr_t attr = {0, "again", NULL};
    size_t resident_before = glet_testing_stack_resident_bytes();
    for (int round = 0; round < 3; round++) {
        greenlet_t *many[300];
        for (int i = 0; i < 300; i++) {
            many[i] = greenlet_new(use_then_suspend, NULL, &attr);
            CHECK_PTR(greenlet_switch(many[i], VAL(64 * 1024)), NULL);
            CHECK_AND_CLEAR_ERROR(0);
        }
        CHECK_PTR(greenlet_switch(many[299], NULL), VAL(0)); /* its 64 KiB read back intact */
        for (int i = 0; i < 300; i++)
            greenlet_unref(many[i]); /* killed: the stacks go back */
        CHECK_AND_CLEAR_ERROR(0);
    }
    /* The pool's 16 warm stacks keep their 64 KiB; a batch of at most 64 not
     * yet released; nothing else. */
    size_t resident_after = glet_testing_stack_resident_bytes();
    printf("stacks resident: %zu bytes before, %zu after\n", resident_before, resident_after);
    CHECK(resident_after <= resident_before + (16 + 64) * (68 * 1024));
}

int main(void)
{
    greenlet_current();
    RUN_TEST(test_R20_R21_a_hundred_thousand_greenlets_suspended_at_once);
    RUN_TEST(test_R20_stacks_are_reused_after_their_pages_were_given_back);
    return check_finish();
}

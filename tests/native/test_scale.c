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

#include "check.h"
#include "testing.h"

#ifndef GREENLET_SCALE_GREENLETS
#define GREENLET_SCALE_GREENLETS 100000
#endif
/* Within the mapping budget of mprotect'd guards (two mappings a stack;
 * test_map_budget.c goes to its end). */
#define MPROTECT_GREENLETS 20000

static long mappings(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    long lines = 0;
    int c;
    while (f != NULL && (c = getc(f)) != EOF)
        lines += c == '\n';
    if (f != NULL)
        fclose(f);
    return lines;
}

static void *suspend_then_answer(void *arg)
{
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
    bool cheap_guards = strcmp(testing_stack_guards(), "madvise") == 0;
    if (!cheap_guards && n > MPROTECT_GREENLETS)
        n = MPROTECT_GREENLETS;
    printf("%zu greenlets, guards by %s\n", n, testing_stack_guards());

    size_t resident_before = testing_stack_resident_bytes();
    long maps_before = mappings();
    greenlet_t **all = calloc(n, sizeof *all);
    CHECK(all != NULL);
    size_t made = 0;
    for (; all != NULL && made < n; made++) {
        all[made] = greenlet_new(suspend_then_answer, NULL, &attr);
        if (all[made] == NULL || greenlet_switch(all[made], VAL(made)) != VAL(made)) {
            CHECK_ERROR(0);
            break;
        }
    }
    CHECK_INT(made, n);
    size_t suspended = 0;
    for (size_t i = 0; i < made; i++)
        suspended += strcmp(greenlet_state_name(all[i]), "suspended") == 0;
    CHECK_INT(suspended, n);
    size_t resident_during = testing_stack_resident_bytes();
    long maps_during = mappings();
    printf("stacks resident: %zu bytes before, %zu with them suspended; mappings %ld, then %ld\n",
           resident_before, resident_during, maps_before, maps_during);
    CHECK(resident_during != SIZE_MAX && resident_during >= resident_before + n * 4096 / 2);
    if (cheap_guards)
        CHECK(maps_during - maps_before < 100); /* a guarded stack costs no mapping */

    for (size_t i = 0; i < made; i++) {
        CHECK_PTR(greenlet_switch(all[i], VAL(i)), VAL(i * 2 + 1));
        CHECK(greenlet_dead(all[i]));
        greenlet_unref(all[i]);
    }
    CHECK_ERROR(0);
    free(all);

    /* What stays resident: the pool's warm stacks and a batch not yet given
     * back (src/native/stack.c), far less than a MiB. */
    size_t resident_after = testing_stack_resident_bytes();
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
    size_t resident_before = testing_stack_resident_bytes();
    for (int round = 0; round < 3; round++) {
        greenlet_t *many[300];
        for (int i = 0; i < 300; i++) {
            many[i] = greenlet_new(use_then_suspend, NULL, &attr);
            CHECK_PTR(greenlet_switch(many[i], VAL(64 * 1024)), NULL);
            CHECK_ERROR(0);
        }
        CHECK_PTR(greenlet_switch(many[299], NULL), VAL(0)); /* its 64 KiB read back intact */
        for (int i = 0; i < 300; i++)
            greenlet_unref(many[i]); /* killed: the stacks go back */
        CHECK_ERROR(0);
    }
    /* The pool's 16 warm stacks keep their 64 KiB; a batch of at most 64 not
     * yet released; nothing else. */
    size_t resident_after = testing_stack_resident_bytes();
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

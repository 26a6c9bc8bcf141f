/* Stack overflow detection (R21): an overflow inside a greenlet is reported on
 * stderr as a stack overflow naming the greenlet, and the process dies; a
 * fault that is not an overflow is not reported as one.
 * Native-only: each case runs in a child process (child.h) that dies of the
 * fault; the WebAssembly backend checks a limit instead (tested there). */
#include <stdlib.h>

#include "check.h"
#include "native/child.h"
#include "testing.h"

static greenlet_t *main_g;

/* Never reached: a bound the compiler cannot see through. */
static volatile int bottom = -1;

/* Recursion that cannot be turned into a loop: each frame keeps data live
 * across the call. */
static int recurse_forever(int depth)
{
    if (depth == bottom)
        return 0;
    volatile char frame[256];
    frame[0] = (char)depth;
    frame[255] = (char)depth;
    int below = recurse_forever(depth + 1);
    return below + frame[0] + frame[255];
}

static void *overflow(void *arg)
{
    return VAL(recurse_forever((int)(intptr_t)arg));
}

static void *fault_elsewhere(void *arg)
{
    volatile int *nowhere = (volatile int *)arg; /* NULL */
    return VAL(*nowhere);
}

/* Child "overflow NAME SIZE" or "fault NAME SIZE" (NAME "-": unnamed): runs
 * the body in one greenlet. */
static void start_one_greenlet(const char *args)
{
    char kind[16], name[64];
    size_t stack_size;
    if (sscanf(args, "%15s %63s %zu", kind, name, &stack_size) != 3)
        return;
    greenlet_attr_t attr = {stack_size, strcmp(name, "-") == 0 ? NULL : name, NULL};
    greenlet_t *g = greenlet_new(strcmp(kind, "fault") == 0 ? fault_elsewhere : overflow, NULL, &attr);
    greenlet_switch(g, NULL);
}

TEST(test_R21_an_overflow_is_reported_with_the_greenlets_name)
{
    struct outcome out;
    run_child("overflow deep-diver 65536", &out);
    CHECK(out.died);
    CHECK_CONTAINS(out.err, "stack overflow in greenlet 'deep-diver'"); /* R21 */
    run_child("overflow default-size 0", &out);
    CHECK(out.died);
    CHECK_CONTAINS(out.err, "stack overflow in greenlet 'default-size'");
}

TEST(test_R21_an_unnamed_greenlet_overflows_with_a_message_too)
{
    struct outcome out;
    run_child("overflow - 16384", &out);
    CHECK(out.died);
    CHECK_CONTAINS(out.err, "stack overflow in greenlet");
}

TEST(test_R21_other_faults_are_not_reported_as_overflows)
{
    struct outcome out;
    run_child("fault null-reader 0", &out);
    CHECK(out.died);
    CHECK(strstr(out.err, "stack overflow") == NULL);
    if (strstr(out.err, "stack overflow") != NULL)
        fprintf(stderr, "    child stderr: %s\n", out.err);
}

/* ---- stacks at the edges of a region (src/native/stack.c) ----
 * Stacks are carved side by side from large regions: the guard of one lies
 * just above the top of the one below. Each child fills the first region of a
 * stack size used nowhere else (so its slots are carved in order), then
 * overflows the greenlet in the slot asked for. */

#define REGION_TEST_STACK (96u * 1024u)

struct place {
    size_t slot, slots;
    bool known;
};

static void *stand_by(void *arg)
{
    struct place *p = arg;
    char here = 0;
    p->known = glet_testing_stack_place(&here, &p->slot, &p->slots);
    if (greenlet_switch(greenlet_parent(greenlet_current()), NULL) == VAL(1))
        recurse_forever(0);
    return NULL;
}

enum edge { FIRST_SLOT, MIDDLE_SLOT, LAST_SLOT, NEXT_REGIONS_FIRST };

/* Child "edge N": enum edge N. */
static void overflow_at(enum edge edge)
{
    static struct place places[100000];
    static greenlet_t *all[100000];
    size_t slots = 0;
    for (size_t i = 0; i < 100000; i++) {
        char name[32];
        snprintf(name, sizeof name, "carved-%zu", i);
        greenlet_attr_t attr = {REGION_TEST_STACK, name, NULL};
        all[i] = greenlet_new(stand_by, NULL, &attr);
        greenlet_switch(all[i], &places[i]);
        if (!places[i].known || places[i].slot != i % places[0].slots) {
            fprintf(stderr, "greenlet %zu is not in slot %zu of its region\n", i, i % places[0].slots);
            _exit(3);
        }
        slots = places[0].slots;
        if (i == slots) /* the first of the second region */
            break;
    }
    if (slots < 3) {
        fprintf(stderr, "a region of %zu slots has no middle\n", slots);
        _exit(3);
    }
    size_t target = edge == FIRST_SLOT ? 0 : edge == MIDDLE_SLOT ? slots / 2 : edge == LAST_SLOT ? slots - 1 : slots;
    printf("overflowing slot %zu of %zu\n", target % slots, slots);
    greenlet_switch(all[target], VAL(1));
}

static void check_overflow_at(enum edge edge, const char *name)
{
    struct outcome out;
    char args[16];
    snprintf(args, sizeof args, "edge %d", (int)edge);
    run_child(args, &out);
    CHECK(out.died);
    CHECK(strstr(out.err, "is not in slot") == NULL);
    char expected[64];
    snprintf(expected, sizeof expected, "stack overflow in greenlet '%s'", name);
    CHECK_CONTAINS(out.err, expected); /* R21 */
}

TEST(test_R21_an_overflow_is_caught_on_the_first_middle_and_last_stack_of_a_region)
{
    char name[32];
    struct place p = {0, 0, false};
    /* The region's size in slots, learnt from one greenlet of that size. */
    greenlet_attr_t attr = {REGION_TEST_STACK, NULL, NULL};
    greenlet_t *probe = greenlet_new(stand_by, NULL, &attr);
    greenlet_switch(probe, &p);
    CHECK(p.known);
    CHECK(p.slots >= 3);
    greenlet_switch(probe, NULL);
    greenlet_unref(probe);
    check_overflow_at(FIRST_SLOT, "carved-0");
    snprintf(name, sizeof name, "carved-%zu", p.slots / 2);
    check_overflow_at(MIDDLE_SLOT, name);
    snprintf(name, sizeof name, "carved-%zu", p.slots - 1);
    check_overflow_at(LAST_SLOT, name);
    snprintf(name, sizeof name, "carved-%zu", p.slots);
    check_overflow_at(NEXT_REGIONS_FIRST, name);
}

static void child_case(const char *args)
{
    child_expects_a_fault();
    int edge;
    if (sscanf(args, "edge %d", &edge) == 1)
        overflow_at((enum edge)edge);
    else
        start_one_greenlet(args);
}

int main(int argc, char **argv)
{
    child_dispatch(argc, argv);
    main_g = greenlet_current();
    (void)main_g;
    RUN_TEST(test_R21_an_overflow_is_reported_with_the_greenlets_name);
    RUN_TEST(test_R21_an_unnamed_greenlet_overflows_with_a_message_too);
    RUN_TEST(test_R21_other_faults_are_not_reported_as_overflows);
    RUN_TEST(test_R21_an_overflow_is_caught_on_the_first_middle_and_last_stack_of_a_region);
    return check_finish();
}

/* Windows: a stack walk inside a greenlet (what debuggers, profilers and
 * crash reporters do with the system's unwinder) finds the greenlet's frames
 * through our unwind data and ends cleanly at the start stub.
 * Windows-only: elsewhere gdb checks the CFI (native/gdb_backtrace.cmake). */
#include <windows.h>

#include "check.h"

#define MAX_FRAMES 62

static USHORT captured;
static void *frames[MAX_FRAMES];

/* The function whose code holds address pc, per the unwind tables. */
static ULONG64 function_of(void *pc)
{
    ULONG64 base = 0;
    PRUNTIME_FUNCTION f = RtlLookupFunctionEntry((ULONG64)pc, &base, NULL);
    return f != NULL ? base + f->BeginAddress : 0;
}

/* noipa: no clone, no inlining, so that its frames carry its own address. */
static __attribute__((noipa)) void *walk_here(int depth)
{
    if (depth > 0) {
        void *r = walk_here(depth - 1);
        __asm__ volatile("" ::: "memory"); /* not a tail call: a frame per level */
        return r;
    }
    captured = RtlCaptureStackBackTrace(0, MAX_FRAMES, frames, NULL);
    return NULL;
}

static __attribute__((noipa)) void *run_walk(void *arg)
{
    void *r = walk_here((int)(intptr_t)arg);
    __asm__ volatile("" ::: "memory"); /* not a tail call */
    return r;
}

TEST(test_a_stack_walk_in_a_greenlet_finds_its_frames_and_ends_at_the_start)
{
    greenlet_t *g = greenlet_new(run_walk, NULL, NULL);
    greenlet_switch(g, VAL(5));
    CHECK(greenlet_dead(g));
    greenlet_unref(g);
    /* walk_here x6, run_walk, the library's entry, the start stub: and no
     * more (a walk without unwind data would run on into garbage or fail). */
    CHECK(captured >= 8);
    CHECK(captured < 16);
    int in_walk_here = 0, in_run_walk = 0;
    for (USHORT i = 0; i < captured; i++) {
        in_walk_here += function_of(frames[i]) == (ULONG64)(uintptr_t)walk_here;
        in_run_walk += function_of(frames[i]) == (ULONG64)(uintptr_t)run_walk;
    }
    CHECK_INT(in_walk_here, 6);
    CHECK_INT(in_run_walk, 1);
    /* The walk ends at the start stub (it has unwind data), or at the zero
     * return address its unwind data leads to: never at a stray address
     * above the greenlet's stack. */
    USHORT last = captured;
    if (last > 0 && frames[last - 1] == NULL)
        last--;
    CHECK(last > 0 && function_of(frames[last - 1]) != 0);
}

TEST(test_the_main_stack_walk_is_unchanged_after_greenlets_ran)
{
    walk_here(2);
    int in_walk_here = 0;
    for (USHORT i = 0; i < captured; i++)
        in_walk_here += function_of(frames[i]) == (ULONG64)(uintptr_t)walk_here;
    CHECK_INT(in_walk_here, 3);
    CHECK(captured > 3); /* main and the C runtime's start-up below it */
}

int main(void)
{
    greenlet_current();
    RUN_TEST(test_a_stack_walk_in_a_greenlet_finds_its_frames_and_ends_at_the_start);
    RUN_TEST(test_the_main_stack_walk_is_unchanged_after_greenlets_ran);
    return check_finish();
}

// C++ exceptions inside greenlets: thrown and caught on a greenlet's stack,
// with destructors run by the unwinding, through frames that switched away
// and came back, and with two greenlets switching to each other from inside
// their try blocks, each catching only its own exceptions; one that nobody
// catches ends the process through std::terminate, as on a thread.
// Native-only: the WebAssembly build has no C++ exceptions with Asyncify. On
// Windows this is SEH unwinding, which needs the greenlet's own stack bounds
// in the Thread Information Block and our unwind data; elsewhere DWARF CFI.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "check.h"
#include "native/child.h"

namespace {

greenlet_t *main_g;

struct Counted {
    int *destroyed;
    explicit Counted(int *d) : destroyed(d) {}
    ~Counted() { ++*destroyed; }
};

struct Thrown {
    int value;
};

void *yield_to_parent(void *value) { return greenlet_switch(greenlet_parent(greenlet_current()), value); }

// ---- thrown and caught in one greenlet ----

int destroyed_in_simple;

[[noreturn]] void throw_from_depth(int depth)
{
    Counted guard(&destroyed_in_simple);
    if (depth == 0)
        throw Thrown{42};
    throw_from_depth(depth - 1);
}

void *catch_own(void *)
{
    try {
        throw_from_depth(5);
    } catch (const Thrown &t) {
        return VAL(t.value);
    }
    return VAL(0);
}

TEST(test_an_exception_is_thrown_and_caught_inside_a_greenlet)
{
    destroyed_in_simple = 0;
    greenlet_t *g = greenlet_new(catch_own, NULL, NULL);
    CHECK_PTR(greenlet_switch(g, NULL), VAL(42));
    CHECK_INT(destroyed_in_simple, 6); // every frame's guard, innermost first
    CHECK(greenlet_dead(g));
    greenlet_unref(g);
}

// ---- through frames that switched away and back ----

int destroyed_after_switch;

[[noreturn]] void switch_then_throw(int depth)
{
    Counted guard(&destroyed_after_switch);
    yield_to_parent(VAL(depth)); // suspended here, resumed later
    if (depth == 0)
        throw std::runtime_error("after resuming");
    switch_then_throw(depth - 1);
}

void *unwind_through_resumed_frames(void *)
{
    try {
        switch_then_throw(3);
    } catch (const std::runtime_error &e) {
        return std::string(e.what()) == "after resuming" ? VAL(1) : VAL(2);
    }
    return VAL(0);
}

TEST(test_unwinding_passes_frames_that_switched_away_and_back)
{
    destroyed_after_switch = 0;
    greenlet_t *g = greenlet_new(unwind_through_resumed_frames, NULL, NULL);
    // Each level switches out once: depths 3, 2, 1, 0.
    for (int depth = 3; depth >= 0; depth--)
        CHECK_PTR(greenlet_switch(g, NULL), VAL(depth));
    CHECK_INT(destroyed_after_switch, 0);
    CHECK_PTR(greenlet_switch(g, NULL), VAL(1)); // throws at depth 0, caught at the top
    CHECK_INT(destroyed_after_switch, 4);
    CHECK(greenlet_dead(g));
    greenlet_unref(g);
}

// ---- two greenlets, interleaved inside their try blocks ----

struct Player {
    int id;
    greenlet_t *other;
    int caught[3];
    int guards_destroyed;
    int caught_something_else;
};

void *play(void *arg)
{
    Player *me = static_cast<Player *>(arg);
    yield_to_parent(NULL); // started; the game begins when main resumes us
    for (int round = 0; round < 3; round++) {
        try {
            Counted guard(&me->guards_destroyed);
            greenlet_switch(me->other, NULL); // the other one is inside its try block too
            throw Thrown{me->id * 10 + round};
        } catch (const Thrown &t) {
            me->caught[round] = t.value;
        } catch (...) {
            me->caught_something_else++;
        }
    }
    return NULL;
}

TEST(test_two_greenlets_switch_inside_their_try_blocks_and_catch_their_own)
{
    Player a = {1, NULL, {0, 0, 0}, 0, 0};
    Player b = {2, NULL, {0, 0, 0}, 0, 0};
    greenlet_t *ga = greenlet_new(play, NULL, NULL);
    greenlet_t *gb = greenlet_new(play, NULL, NULL);
    a.other = gb;
    b.other = ga;
    greenlet_switch(ga, &a);
    greenlet_switch(gb, &b);
    // a throws in each round only after b has entered its own try block and
    // switched back, and the other way round. The one that finishes first
    // returns here; switches to a dead greenlet come here too (to its parent).
    int resumes = 0;
    while (!(greenlet_dead(ga) && greenlet_dead(gb)) && resumes++ < 10)
        greenlet_switch(greenlet_dead(ga) ? gb : ga, NULL);
    CHECK(greenlet_dead(ga) && greenlet_dead(gb));
    for (int round = 0; round < 3; round++) {
        CHECK_INT(a.caught[round], 10 + round);
        CHECK_INT(b.caught[round], 20 + round);
    }
    CHECK_INT(a.guards_destroyed, 3);
    CHECK_INT(b.guards_destroyed, 3);
    CHECK_INT(a.caught_something_else + b.caught_something_else, 0);
    greenlet_unref(ga);
    greenlet_unref(gb);
}

// ---- nobody catches it ----

void *throw_uncaught(void *)
{
    throw std::runtime_error("nobody catches this");
}

TEST(test_an_uncaught_exception_in_a_greenlet_ends_the_process_through_terminate)
{
    struct outcome out;
    run_child("uncaught", &out);
    CHECK(out.died);
    CHECK_CONTAINS(out.err, "nobody catches this"); // std::terminate's report of what()
}

} // namespace

static void child_case(const char *args)
{
    if (strcmp(args, "uncaught") == 0) {
        greenlet_t *g = greenlet_new(throw_uncaught, NULL, NULL);
        greenlet_switch(g, NULL);
        std::fputs("the exception came back to main\n", stderr);
    }
}

int main(int argc, char **argv)
{
    child_dispatch(argc, argv);
    main_g = greenlet_current();
    (void)main_g;
    RUN_TEST(test_an_exception_is_thrown_and_caught_inside_a_greenlet);
    RUN_TEST(test_unwinding_passes_frames_that_switched_away_and_back);
    RUN_TEST(test_two_greenlets_switch_inside_their_try_blocks_and_catch_their_own);
    RUN_TEST(test_an_uncaught_exception_in_a_greenlet_ends_the_process_through_terminate);
    return check_finish();
}

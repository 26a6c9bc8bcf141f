/*
 * Cross-thread misuse (R8, R13, R16, R18): with a reference to a greenlet of
 * another thread, every owner-only call must fail with GREENLET_ETHREAD, set
 * the error in the caller, and switch nothing (the trace hook counts switches;
 * the current greenlet stays the same). Queries are allowed from any thread.
 */
#include <string.h>

#include "stress.h"

static void expect_refused(struct thread_work *w, greenlet_t *self, unsigned long switches, const char *what)
{
    STRESS_REQUIRE(greenlet_error(NULL) == GREENLET_ETHREAD, "cross-thread call not refused");
    STRESS_REQUIRE(strstr(greenlet_error_message(), "thread") != NULL, "the message names no thread");
    STRESS_REQUIRE(greenlet_current() == self, "the caller is no longer current");
    STRESS_REQUIRE(w->switches == switches, "a refused call switched");
    (void)what;
    greenlet_clear_error();
    w->misuses++;
}

static void *must_not_run(void *arg)
{
    (void)arg;
    STRESS_FAIL("a greenlet with a parent on another thread started");
}

/* An unstarted greenlet of ours may get a foreign parent, but cannot start (R8). */
static void foreign_parent(struct thread_work *w, greenlet_t *self, greenlet_t *foreign)
{
    greenlet_attr_t attr = {.stack_size = STRESS_STACK_SIZE, .name = "orphan-to-be", .userdata = w};
    greenlet_t *g = greenlet_new(must_not_run, NULL, &attr);
    STRESS_REQUIRE(g != NULL, "greenlet_new");
    STRESS_REQUIRE(greenlet_set_parent(g, foreign) == 0, "an unstarted greenlet refused a foreign parent");
    unsigned long switches = w->switches;
    STRESS_REQUIRE(greenlet_switch(g, NULL) == NULL, "a greenlet with a foreign parent started");
    expect_refused(w, self, switches, "start under a foreign parent");
    STRESS_REQUIRE(!greenlet_started(g), "it started anyway");
    greenlet_unref(g); /* drops its reference on the foreign parent, from this thread */
}

void misuse_attempt(struct thread_work *w)
{
    greenlet_t *foreign = share_grab(w);
    if (foreign == NULL)
        return;
    greenlet_t *self = greenlet_current();
    unsigned long switches = w->switches;

    /* Allowed anywhere: queries (their answers may be stale at once). */
    const char *state = greenlet_state_name(foreign);
    STRESS_REQUIRE(strcmp(state, "invalid") != 0, "state of a live handle");
    STRESS_REQUIRE(!greenlet_is_main(foreign), "a worker reads as main");
    STRESS_REQUIRE(greenlet_name(foreign) != NULL && greenlet_name(foreign)[0] == 'w', "the name");
    STRESS_REQUIRE(greenlet_userdata(foreign) != NULL, "the userdata");

    switch (stress_random(w, 6)) {
    case 0:
        STRESS_REQUIRE(greenlet_switch(foreign, stress_value(w, 1)) == NULL, "cross-thread switch");
        expect_refused(w, self, switches, "switch");
        break;
    case 1:
        STRESS_REQUIRE(greenlet_throw(foreign, STRESS_USER_ERROR, NULL) == NULL, "cross-thread throw");
        expect_refused(w, self, switches, "throw");
        break;
    case 2:
        STRESS_REQUIRE(greenlet_kill(foreign) == GREENLET_ETHREAD, "cross-thread kill");
        expect_refused(w, self, switches, "kill");
        break;
    case 3:
        STRESS_REQUIRE(greenlet_set_parent(foreign, self) == GREENLET_ETHREAD, "cross-thread set_parent");
        expect_refused(w, self, switches, "set_parent");
        break;
    case 4: { /* R18: refused only while it runs on its thread; either answer is right then */
        void *ctx = greenlet_context(foreign);
        int code = greenlet_error(NULL);
        STRESS_REQUIRE(code == 0 || (code == GREENLET_ETHREAD && ctx == NULL), "cross-thread context read");
        greenlet_clear_error();
        int rc = greenlet_set_context(foreign, NULL);
        STRESS_REQUIRE(rc == 0 || rc == GREENLET_ETHREAD, "cross-thread context write");
        STRESS_REQUIRE(greenlet_error(NULL) == (rc == 0 ? 0 : GREENLET_ETHREAD), "its error");
        greenlet_clear_error();
        STRESS_REQUIRE(w->switches == switches, "a context call switched");
        break;
    }
    default:
        foreign_parent(w, self, foreign);
        break;
    }
    greenlet_unref(foreign); /* perhaps the last reference: the owner kills it later (R15) */
    STRESS_REQUIRE(greenlet_error(NULL) == 0, "a cross-thread unref left an error");
}

/* Stack overflow detection (R21): an overflow inside a greenlet is reported on
 * stderr as a stack overflow naming the greenlet, and the process dies; a
 * fault that is not an overflow is not reported as one.
 * Native-only: each case runs in a child process (fork) that dies of a
 * signal; the WebAssembly backend checks a limit instead (tested there). */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
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

struct outcome {
    int status;
    char err[4096];
};

/* Runs body(arg) in a child process; collects its stderr. */
static void run_child(void (*body)(void *), void *arg, struct outcome *out)
{
    int fds[2];
    memset(out, 0, sizeof *out);
    CHECK_INT(pipe(fds), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core); /* dying is expected: no core file */
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        body(arg);
        _exit(0); /* not reached when a greenlet faults */
    }
    close(fds[1]);
    size_t used = 0;
    ssize_t n;
    while ((n = read(fds[0], out->err + used, sizeof out->err - 1 - used)) > 0)
        used += (size_t)n;
    out->err[used] = '\0';
    close(fds[0]);
    CHECK_INT(waitpid(pid, &out->status, 0), pid);
}

struct one_greenlet {
    greenlet_run_t fn;
    const char *name;
    size_t stack_size;
};

static void start_one_greenlet(void *arg)
{
    const struct one_greenlet *what = arg;
    greenlet_attr_t attr = {what->stack_size, what->name, NULL};
    greenlet_t *g = greenlet_new(what->fn, NULL, &attr);
    greenlet_switch(g, NULL);
}

/* Runs fn in a greenlet of a child process; collects its stderr. */
static void run_in_child(greenlet_run_t fn, const char *name, size_t stack_size, struct outcome *out)
{
    struct one_greenlet what = {fn, name, stack_size};
    run_child(start_one_greenlet, &what, out);
}

static int died_abnormally(int status)
{
    return WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0);
}

TEST(test_R21_an_overflow_is_reported_with_the_greenlets_name)
{
    struct outcome out;
    run_in_child(overflow, "deep-diver", 64 * 1024, &out);
    CHECK(died_abnormally(out.status));
    CHECK_CONTAINS(out.err, "stack overflow in greenlet 'deep-diver'"); /* R21 */
    run_in_child(overflow, "default-size", 0, &out);
    CHECK(died_abnormally(out.status));
    CHECK_CONTAINS(out.err, "stack overflow in greenlet 'default-size'");
}

TEST(test_R21_an_unnamed_greenlet_overflows_with_a_message_too)
{
    struct outcome out;
    run_in_child(overflow, NULL, 16 * 1024, &out);
    CHECK(died_abnormally(out.status));
    CHECK_CONTAINS(out.err, "stack overflow in greenlet");
}

TEST(test_R21_other_faults_are_not_reported_as_overflows)
{
    struct outcome out;
    run_in_child(fault_elsewhere, "null-reader", 0, &out);
    CHECK(died_abnormally(out.status));
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

static void overflow_at(void *arg)
{
    enum edge edge = *(const enum edge *)arg;
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
    run_child(overflow_at, &edge, &out);
    CHECK(died_abnormally(out.status));
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

int main(void)
{
    main_g = greenlet_current();
    (void)main_g;
    RUN_TEST(test_R21_an_overflow_is_reported_with_the_greenlets_name);
    RUN_TEST(test_R21_an_unnamed_greenlet_overflows_with_a_message_too);
    RUN_TEST(test_R21_other_faults_are_not_reported_as_overflows);
    RUN_TEST(test_R21_an_overflow_is_caught_on_the_first_middle_and_last_stack_of_a_region);
    return check_finish();
}

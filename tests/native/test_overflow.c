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

/* Runs fn(arg) in a greenlet of a child process; collects its stderr. */
static void run_in_child(greenlet_run_t fn, const char *name, size_t stack_size, struct outcome *out)
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
        greenlet_attr_t attr = {stack_size, name, NULL};
        greenlet_t *g = greenlet_new(fn, NULL, &attr);
        greenlet_switch(g, NULL);
        _exit(0); /* not reached when the greenlet faults */
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

int main(void)
{
    main_g = greenlet_current();
    (void)main_g;
    RUN_TEST(test_R21_an_overflow_is_reported_with_the_greenlets_name);
    RUN_TEST(test_R21_an_unnamed_greenlet_overflows_with_a_message_too);
    RUN_TEST(test_R21_other_faults_are_not_reported_as_overflows);
    return check_finish();
}

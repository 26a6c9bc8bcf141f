/*
 * Throw and kill: errors delivered into a greenlet where it waits.
 *
 * greenlet_throw(g, code, payload) resumes g, but the greenlet_switch() that
 * g is suspended in returns NULL with the error pending instead of a value:
 * the C form of raising an exception at the point where g waits. g may handle
 * it (read it, clear it, go on), or let it go: when g's run function returns
 * with the error still pending, the error goes to g's parent.
 *
 * greenlet_kill(g) throws GREENLET_EXIT: g cleans up and returns, and the
 * error is swallowed there. Dropping the last reference to a suspended
 * greenlet kills it the same way.
 */
#include <greenlet.h>
#include <stdbool.h>
#include <stdio.h>

/* User error codes are positive. */
enum { RETRY = 1, GIVE_UP = 2 };

/* Works on one job per switch; handles RETRY (the payload is the job to
 * redo) and cleans up when killed. Any other error leaves run() pending, so
 * it goes on to the parent. */
static void *worker(void *first_job)
{
    int finished = 0;
    const char *job = first_job;
    for (;;) {
        printf("  %s: working on %s\n", greenlet_name(greenlet_current()), job);
        job = greenlet_switch(greenlet_parent(greenlet_current()), NULL); /* waits here for the next job */
        void *payload = NULL;
        int code = greenlet_error(&payload);
        if (code == 0) {
            finished++;
        } else if (code == RETRY) {
            printf("  %s: caught RETRY, carries on\n", greenlet_name(greenlet_current()));
            greenlet_clear_error();
            job = payload;
        } else if (code == GREENLET_EXIT) {
            printf("  %s: killed while waiting; cleans up after %d finished job%s\n",
                   greenlet_name(greenlet_current()), finished, finished == 1 ? "" : "s");
            return NULL; /* GREENLET_EXIT is swallowed here */
        } else {
            printf("  %s: does not handle error %d; it leaves run()\n", greenlet_name(greenlet_current()), code);
            return NULL; /* the error goes to the parent */
        }
    }
}

static greenlet_t *new_worker(const char *name)
{
    greenlet_attr_t attr = {.name = name};
    return greenlet_new(worker, NULL, &attr);
}

/* Reports the error pending in main (if any) and clears it; returns its code. */
static int take_error(void)
{
    int code = greenlet_error(NULL);
    if (code != 0) {
        printf("  main: got error %d back (%s)\n", code, greenlet_strerror(code));
        greenlet_clear_error();
    }
    return code;
}

int main(void)
{
    bool ok = true;

    printf("1. an error the greenlet handles\n");
    greenlet_t *a = new_worker("worker A");
    greenlet_switch(a, "job 1");
    greenlet_switch(a, "job 2");
    greenlet_throw(a, RETRY, "job 2 again");
    ok = take_error() == 0 && ok;
    printf("  main: worker A is %s\n", greenlet_state_name(a));

    printf("2. an error it does not handle goes to its parent\n");
    greenlet_throw(a, GIVE_UP, NULL);
    ok = take_error() == GIVE_UP && ok;
    printf("  main: worker A is %s\n", greenlet_state_name(a));
    greenlet_unref(a);

    printf("3. greenlet_kill\n");
    greenlet_t *b = new_worker("worker B");
    greenlet_switch(b, "job 3");
    int killed = greenlet_kill(b);
    printf("  main: greenlet_kill returned %d; worker B is %s\n", killed, greenlet_state_name(b));
    ok = killed == 0 && ok;
    greenlet_unref(b);

    printf("4. a throw into an unstarted greenlet\n");
    greenlet_t *c = new_worker("worker C");
    greenlet_throw(c, GIVE_UP, NULL); /* it dies without running; the error comes back */
    ok = take_error() == GIVE_UP && ok;
    printf("  main: worker C is %s\n", greenlet_state_name(c));
    greenlet_unref(c);

    printf("5. dropping the last reference kills\n");
    greenlet_t *d = new_worker("worker D");
    greenlet_switch(d, "job 4");
    greenlet_switch(d, "job 5");
    greenlet_unref(d); /* suspended: killed first, then freed */

    printf("throw and kill: %s\n", ok && greenlet_error(NULL) == 0 ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

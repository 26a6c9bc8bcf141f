/*
 * A producer -> filter -> consumer pipeline, one greenlet per stage.
 *
 *   producer: splits a line of text into words
 *   filter:   parses each word as a number and keeps the primes
 *   consumer: prints what arrives and adds it up
 *
 * Each stage is written as a plain loop, "receive an item, send an item", as
 * if it owned the whole program. Two greenlet rules make the plumbing:
 *
 *   - A stage's parent is the stage after it. send() switches to the parent;
 *     when a stage finishes, run's return value (NULL: "no more items") goes
 *     to the parent too, so the end of the stream flows down by itself.
 *   - An error pending when run returns goes to the parent instead of the
 *     value. A bad word therefore travels down to the consumer and out to
 *     main(), like an exception through the stack of stages.
 *
 * Items are pointers into the sending stage's own stack. That is safe: the
 * sender stays suspended, its locals intact, until the receiver asks for the
 * next item.
 */
#include <greenlet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A user error code (user codes are positive): payload is the bad word. */
enum { PIPELINE_NOT_A_NUMBER = 1 };

/* ---- Plumbing ------------------------------------------------------------- */

/* Hands an item to the next stage; returns when that stage wants another.
 * Returns false if an error was thrown in instead (GREENLET_EXIT when the
 * pipeline is torn down early): the stage should stop. */
static bool send(void *item)
{
    greenlet_switch(greenlet_parent(greenlet_current()), item);
    return greenlet_error(NULL) == 0;
}

/* Asks the previous stage (kept in this greenlet's userdata) for an item.
 * NULL means the stream ended, or an error came with it. */
static void *receive(void)
{
    greenlet_t *upstream = greenlet_userdata(greenlet_current());
    return greenlet_switch(upstream, NULL);
}

/* ---- The stages ------------------------------------------------------------ */

/* Started with the text; sends one word at a time. */
static void *producer(void *text)
{
    const char *rest = text;
    for (;;) {
        rest += strspn(rest, " ");
        size_t length = strcspn(rest, " ");
        if (length == 0)
            return NULL; /* end of the stream */
        char word[32];   /* stays valid while the filter looks at it */
        snprintf(word, sizeof word, "%.*s", (int)length, rest);
        rest += length;
        if (!send(word))
            return NULL;
    }
}

static bool is_prime(long n)
{
    if (n < 2)
        return false;
    for (long d = 2; d * d <= n; d++)
        if (n % d == 0)
            return false;
    return true;
}

/* Started with the first word. */
static void *filter(void *first_word)
{
    for (char *word = first_word; word; word = receive()) {
        char *end;
        long number = strtol(word, &end, 10);
        if (end == word || *end != '\0') {
            greenlet_raise(PIPELINE_NOT_A_NUMBER, word);
            return NULL; /* the error, not the NULL, reaches the consumer */
        }
        if (is_prime(number) && !send(&number))
            return NULL;
    }
    return NULL; /* the producer finished: so does the filter */
}

/* Started with the first prime. Returns the sum to main(). */
static void *consumer(void *first_prime)
{
    static long sum; /* not a local: this stack is released when run returns */
    sum = 0;
    printf("  primes:");
    for (long *prime = first_prime; prime; prime = receive()) {
        printf(" %ld", *prime);
        sum += *prime;
    }
    printf("\n");
    return &sum; /* if an error is pending it goes to main() instead */
}

/* ---- Running it ---------------------------------------------------------------- */

static greenlet_t *new_stage(greenlet_run_t run, const char *name, greenlet_t *upstream)
{
    greenlet_attr_t attr = {.name = name, .userdata = upstream};
    return greenlet_new(run, NULL, &attr);
}

/* Runs the pipeline over text; returns whether it behaved as expected. */
static bool run_pipeline(const char *text, bool expect_error)
{
    printf("input: \"%s\"\n", text);
    greenlet_t *p = new_stage(producer, "producer", NULL);
    greenlet_t *f = new_stage(filter, "filter", p);
    greenlet_t *c = new_stage(consumer, "consumer", f);
    if (!p || !f || !c) {
        printf("  cannot create the stages: %s\n", greenlet_error_message());
        greenlet_unref(p);
        greenlet_unref(f);
        greenlet_unref(c);
        return false;
    }
    /* Each stage's parent is the next one; the consumer's is main(). */
    greenlet_set_parent(p, f);
    greenlet_set_parent(f, c);

    /* Start the producer: it pushes the first items down, starting the
     * filter and the consumer on the way. What the consumer returns (or the
     * error it lets through) comes back here. */
    long *sum = greenlet_switch(p, (void *)text);
    bool ok;
    void *payload;
    int code = greenlet_error(&payload);
    if (code == PIPELINE_NOT_A_NUMBER) {
        /* payload points into the producer's stack: still suspended, still valid. */
        printf("  error: not a number: \"%s\"\n", (char *)payload);
        greenlet_clear_error();
        ok = expect_error;
    } else if (code != 0) {
        printf("  unexpected error: %s\n", greenlet_error_message());
        greenlet_clear_error();
        ok = false;
    } else {
        printf("  sum: %ld\n", *sum);
        ok = !expect_error;
    }
    printf("  stages now: producer %s, filter %s, consumer %s\n", greenlet_state_name(p),
           greenlet_state_name(f), greenlet_state_name(c));

    /* Dropping the last reference to the suspended producer (after an error)
     * kills it: its send() returns false and it returns. */
    greenlet_unref(p);
    greenlet_unref(f);
    greenlet_unref(c);
    return ok;
}

int main(void)
{
    bool ok = run_pipeline("1 2 3 4 5 6 7 8 9 10 11 12 13", false);
    ok = run_pipeline("17 19 twenty 23 29", true) && ok;
    ok = run_pipeline("", false) && ok;
    printf("pipeline: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

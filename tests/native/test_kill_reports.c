/* What unref reports on stderr (R15): a greenlet that refuses to die when its
 * last reference goes is reported once and not freed while its stack may be
 * in use; an error raised by cleanup during such a kill is reported once.
 * Native-only: it captures the process's file descriptor 2 with dup2 (the
 * WebAssembly build writes stderr through JavaScript), and runs the refusing
 * greenlet on a thread of its own so that the thread's exit finally ends it. */
#include "native/threads.h"
#include <unistd.h>

#include "check.h"

/* ---- capturing stderr ---- */

struct capture {
    int saved_fd;
    FILE *file;
    char text[4096];
};

static void capture_begin(struct capture *c)
{
    fflush(stderr);
    c->file = tmpfile();
    CHECK(c->file != NULL);
    c->saved_fd = dup(STDERR_FILENO);
    dup2(fileno(c->file), STDERR_FILENO);
}

static void capture_end(struct capture *c)
{
    fflush(stderr);
    dup2(c->saved_fd, STDERR_FILENO);
    close(c->saved_fd);
    rewind(c->file);
    size_t n = fread(c->text, 1, sizeof c->text - 1, c->file);
    c->text[n] = '\0';
    fclose(c->file);
}

static int count_of(const char *haystack, const char *needle)
{
    int n = 0;
    for (const char *at = strstr(haystack, needle); at != NULL; at = strstr(at + 1, needle))
        n++;
    return n;
}

/* ---- a greenlet that refuses the first kill ---- */

struct stubborn {
    int exits;
    int returned;
};

static void *refuse_first_exit(void *arg)
{
    struct stubborn *s = arg;
    greenlet_switch(greenlet_parent(greenlet_current()), NULL);
    s->exits += greenlet_error(NULL) == GREENLET_EXIT;
    greenlet_clear_error();
    greenlet_switch(greenlet_parent(greenlet_current()), NULL); /* refuses: away, alive */
    s->exits += greenlet_error(NULL) == GREENLET_EXIT;
    s->returned = 1;
    return NULL;
}

static void *return_arg(void *arg) { return arg; }

static void *drop_a_stubborn_greenlet(void *arg)
{
    struct stubborn *s = arg;
    greenlet_current();
    greenlet_attr_t attr = {0, "stubborn-one", NULL};
    greenlet_t *g = greenlet_new(refuse_first_exit, NULL, &attr);
    greenlet_switch(g, s);
    greenlet_unref(g); /* R15: killed; it switches back alive instead */
    CHECK_INT(s->exits, 1);
    CHECK_INT(s->returned, 0);
    CHECK_AND_CLEAR_ERROR(0); /* the report went to stderr, not to us */
    /* The thread goes on working normally. */
    for (int i = 0; i < 10; i++) {
        greenlet_t *h = greenlet_new(return_arg, NULL, NULL);
        CHECK_PTR(greenlet_switch(h, VAL(i)), VAL(i));
        greenlet_unref(h);
    }
    return NULL; /* at exit, the orphan is killed again and ends */
}

TEST(test_R15_a_greenlet_refusing_to_die_on_unref_is_reported_once)
{
    struct stubborn s = {0, 0};
    struct capture c;
    capture_begin(&c);
    test_thread t;
    CHECK_INT(test_thread_start(&t, drop_a_stubborn_greenlet, &s), 0);
    CHECK_INT(test_thread_join(t), 0);
    capture_end(&c);
    CHECK_INT(count_of(c.text, "stubborn-one"), 1); /* R15: once */
    CHECK_INT(s.exits, 2);
    CHECK_INT(s.returned, 1); /* ended on its thread's exit, then freed (ASan) */
    if (count_of(c.text, "stubborn-one") != 1)
        fprintf(stderr, "    stderr was: %s\n", c.text);
}

/* ---- cleanup that raises during an unref-kill ---- */

static void *raise_in_cleanup(void *arg)
{
    greenlet_switch(greenlet_parent(greenlet_current()), NULL);
    greenlet_clear_error();
    greenlet_raise(13, arg);
    return NULL;
}

TEST(test_R15_an_error_raised_by_cleanup_on_unref_is_reported_once)
{
    struct capture c;
    greenlet_attr_t attr = {0, "raiser", NULL};
    greenlet_t *g = greenlet_new(raise_in_cleanup, NULL, &attr);
    greenlet_switch(g, NULL);
    int mine = 0;
    greenlet_raise(4, &mine); /* the caller's own error is left alone */
    capture_begin(&c);
    greenlet_unref(g);
    capture_end(&c);
    void *p = NULL;
    CHECK_INT(greenlet_error(&p), 4);
    CHECK_PTR(p, &mine);
    greenlet_clear_error();
    CHECK_INT(count_of(c.text, "raiser"), 1); /* R15: once */
    if (count_of(c.text, "raiser") != 1)
        fprintf(stderr, "    stderr was: %s\n", c.text);
}

TEST(test_R15_a_clean_kill_on_unref_reports_nothing)
{
    struct capture c;
    greenlet_attr_t attr = {0, "quiet", NULL};
    greenlet_t *g = greenlet_new(refuse_first_exit, NULL, &attr);
    struct stubborn s = {0, 0};
    greenlet_switch(g, &s);
    CHECK_INT(greenlet_kill(g), GREENLET_EALIVE); /* use up its refusal */
    CHECK_AND_CLEAR_ERROR(GREENLET_EALIVE);
    capture_begin(&c);
    greenlet_unref(g);
    capture_end(&c);
    CHECK_INT(s.returned, 1);
    CHECK_STR(c.text, "");
}

int main(void)
{
    greenlet_current();
    RUN_TEST(test_R15_a_greenlet_refusing_to_die_on_unref_is_reported_once);
    RUN_TEST(test_R15_an_error_raised_by_cleanup_on_unref_is_reported_once);
    RUN_TEST(test_R15_a_clean_kill_on_unref_reports_nothing);
    return check_finish();
}

/*
 * The C interpreter of greenlet programs: every greenlet runs body_run(),
 * which executes its body's actions; main executes the main block, then
 * drops every handle still held. The printed lines are the contract with
 * tests/diff/pyinterp.py: keep the two in step.
 */
#include "interp.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "greenlet.h"
#include "program.h"

/* What a created greenlet runs: its attr userdata. */
struct made {
    int name;
    int body; /* PROGRAM_NONE: created without run */
    char label[8];
};

struct run {
    struct program program;
    FILE *out;
    unsigned long id;
    greenlet_t *handles[PROGRAM_MAX_NAMES]; /* the program's handles; [0] unused */
    struct made made[PROGRAM_MAX_CREATIONS];
    int creations;
};

/* The run in progress on this thread. A greenlet left suspended by a finished
 * run (one that refused to die) may be resumed later, when its thread exits:
 * it then finds another id here and stops without touching the old run. */
static _Thread_local struct run *active_run;
static _Thread_local unsigned long active_id;
static _Thread_local unsigned long runs_started;

static bool still_running(unsigned long id) { return active_id == id; }

static void emit(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (r->out != NULL) {
        vfprintf(r->out, fmt, ap);
        fputc('\n', r->out);
    } else {
        char dropped[160];
        vsnprintf(dropped, sizeof dropped, fmt, ap);
    }
    va_end(ap);
}

static const char *label(greenlet_t *g)
{
    if (greenlet_is_main(g))
        return "g0";
    const char *name = greenlet_name(g);
    return name != NULL ? name : "?";
}

static long as_long(void *v) { return (long)(intptr_t)v; }
static void *as_value(long v) { return (void *)(intptr_t)v; }

static void trace_hook(int event, greenlet_t *origin, greenlet_t *target, void *userdata)
{
    struct run *r = userdata;
    if (r != active_run)
        return;
    emit(r, "trace %s %s %s", event == GREENLET_EVENT_THROW ? "throw" : "switch", label(origin), label(target));
}

static greenlet_t *lookup(struct run *r, int name)
{
    return r->handles[name]; /* [0] is main */
}

/* After a switch or throw: prints what came back. Returns true when the body
 * must end with the error still pending (the "raise" flag). */
static bool receive(struct run *r, const char *me, const char *what, void *value, bool raise, bool in_main)
{
    void *payload;
    int code = greenlet_error(&payload);
    if (code == 0) {
        emit(r, "[%s] %s -> value %ld", me, what, as_long(value));
        return false;
    }
    emit(r, "[%s] %s -> error %d %ld", me, what, code, as_long(payload));
    if (raise && !in_main)
        return true;
    greenlet_clear_error();
    return false;
}

static void *body_run(void *arg);

static greenlet_t *create(struct run *r, const struct action *a, greenlet_t *parent)
{
    struct made *m = &r->made[r->creations++];
    m->name = a->target;
    m->body = a->body;
    snprintf(m->label, sizeof m->label, "g%d", a->target);
    greenlet_attr_t attr = {.stack_size = 0, .name = m->label, .userdata = m};
    return greenlet_new(a->body == PROGRAM_NONE ? NULL : body_run, parent, &attr);
}

/*
 * Executes actions [first, first + count) as greenlet me. Returns the body's
 * result: a value, or NULL with an error pending (R11). id: the run's, to
 * notice, after anything that may switch, that the run is over.
 */
static void *execute(struct run *r, unsigned long id, int first, int count, const char *me, bool in_main)
{
    for (int i = first; i < first + count; i++) {
        const struct action *a = &r->program.actions[i];
        char what[96];
        program_format_action(a, what, sizeof what);
        greenlet_t *g = NULL;
        if (a->verb <= VERB_PARENT) { /* the verbs naming a greenlet */
            g = lookup(r, a->target);
            if ((g == NULL) != (a->verb == VERB_NEW)) {
                emit(r, "[%s] skip %s", me, what);
                continue;
            }
        }
        switch (a->verb) {
        case VERB_NEW: {
            greenlet_t *parent = a->parent == PROGRAM_NONE ? NULL : lookup(r, a->parent);
            if ((a->parent != PROGRAM_NONE && parent == NULL) || r->creations == PROGRAM_MAX_CREATIONS) {
                emit(r, "[%s] skip %s", me, what);
                break;
            }
            greenlet_t *made = create(r, a, parent); /* NULL parent: the current greenlet (R8) */
            if (made == NULL) {
                emit(r, "[%s] %s -> error %d", me, what, greenlet_error(NULL));
                greenlet_clear_error();
                break;
            }
            r->handles[a->target] = made;
            emit(r, "[%s] %s", me, what);
            break;
        }
        case VERB_SWITCH: {
            void *v = greenlet_switch(g, as_value(a->value));
            if (!still_running(id))
                return NULL;
            if (receive(r, me, what, v, a->raise_on_error, in_main))
                return NULL;
            break;
        }
        case VERB_THROW: {
            void *v = greenlet_throw(g, (int)a->value, as_value(a->payload));
            if (!still_running(id))
                return NULL;
            if (receive(r, me, what, v, a->raise_on_error, in_main))
                return NULL;
            break;
        }
        case VERB_KILL: {
            int rc = greenlet_kill(g);
            if (!still_running(id))
                return NULL;
            emit(r, "[%s] %s -> %d", me, what, rc);
            greenlet_clear_error();
            break;
        }
        case VERB_SET_PARENT: {
            greenlet_t *parent = a->parent == PROGRAM_NONE ? NULL : lookup(r, a->parent);
            if (a->parent != PROGRAM_NONE && parent == NULL) {
                emit(r, "[%s] skip %s", me, what);
                break;
            }
            int rc = greenlet_set_parent(g, parent); /* may drop the old parent's last reference */
            if (!still_running(id))
                return NULL;
            emit(r, "[%s] %s -> %d", me, what, rc);
            greenlet_clear_error();
            break;
        }
        case VERB_UNREF:
            if (a->target == 0) {
                emit(r, "[%s] skip %s", me, what);
                break;
            }
            r->handles[a->target] = NULL;
            emit(r, "[%s] %s", me, what);
            greenlet_unref(g);
            if (!still_running(id))
                return NULL;
            break;
        case VERB_STATE:
            emit(r, "[%s] %s -> %s", me, what, greenlet_state_name(g));
            break;
        case VERB_PARENT: {
            greenlet_t *p = greenlet_parent(g);
            emit(r, "[%s] %s -> %s", me, what, p == NULL ? "none" : label(p));
            break;
        }
        case VERB_TRACE:
            greenlet_settrace(a->on ? trace_hook : NULL, r);
            emit(r, "[%s] %s", me, what);
            break;
        case VERB_RETURN:
            emit(r, "[%s] %s", me, what);
            return as_value(a->value);
        case VERB_RAISE:
            emit(r, "[%s] %s", me, what);
            greenlet_raise((int)a->value, as_value(a->payload));
            return NULL;
        }
    }
    if (!in_main)
        emit(r, "[%s] return 0", me);
    return NULL;
}

static void *body_run(void *arg)
{
    struct run *r = active_run;
    if (r == NULL)
        return NULL;
    unsigned long id = r->id;
    const struct made *m = greenlet_userdata(greenlet_current());
    emit(r, "[%s] start %ld", m->label, as_long(arg));
    const struct block *b = &r->program.bodies[m->body];
    return execute(r, id, b->first, b->defined ? b->count : 0, m->label, false);
}

/* Drops every handle main still holds, lowest name first (cleanup may run). */
static void finish(struct run *r)
{
    for (int n = 1; n < PROGRAM_MAX_NAMES; n++)
        if (r->handles[n] != NULL)
            emit(r, "final g%d %s", n, greenlet_state_name(r->handles[n]));
    for (;;) {
        int n = 1;
        while (n < PROGRAM_MAX_NAMES && r->handles[n] == NULL)
            n++;
        if (n == PROGRAM_MAX_NAMES)
            break;
        greenlet_t *g = r->handles[n];
        r->handles[n] = NULL;
        emit(r, "[g0] unref g%d", n);
        greenlet_unref(g);
    }
    emit(r, "end");
}

int interp_run(const char *text, size_t len, FILE *out)
{
    struct run *r = calloc(1, sizeof *r);
    if (r == NULL)
        return 1;
    char error[96];
    if (program_parse(text, len, &r->program, error, sizeof error) != 0) {
        if (out != NULL)
            fprintf(out, "parse error: %s\n", error);
        free(r);
        return 1;
    }
    r->out = out;
    r->id = ++runs_started;
    r->handles[0] = greenlet_current(); /* main: borrowed */
    active_run = r;
    active_id = r->id;
    greenlet_settrace(NULL, NULL);
    greenlet_clear_error();

    execute(r, r->id, r->program.main.first, r->program.main.count, "g0", true);
    finish(r);

    greenlet_settrace(NULL, NULL);
    greenlet_clear_error();
    active_run = NULL;
    active_id = 0;
    free(r);
    return 0;
}

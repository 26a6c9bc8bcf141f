/*
 * The parser of greenlet programs (see program.h, tests/diff/lang.py). It
 * reads untrusted text (the fuzzer's), so every limit is checked.
 */
#include "program.h"

#include <stdio.h>
#include <string.h>

#define MAX_TOKENS 8

struct tokens {
    int count;
    const char *start[MAX_TOKENS];
    size_t len[MAX_TOKENS];
};

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* Words of one line up to '#'. Returns false when there are too many. */
static bool tokenize(const char *line, size_t len, struct tokens *t)
{
    t->count = 0;
    size_t i = 0;
    while (i < len && line[i] != '#') {
        if (is_blank(line[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && line[i] != '#' && !is_blank(line[i]))
            i++;
        if (t->count == MAX_TOKENS)
            return false;
        t->start[t->count] = line + start;
        t->len[t->count] = i - start;
        t->count++;
    }
    return true;
}

static bool token_is(const struct tokens *t, int i, const char *word)
{
    return i < t->count && t->len[i] == strlen(word) && memcmp(t->start[i], word, t->len[i]) == 0;
}

static bool has_prefix(const struct tokens *t, int i, const char *prefix)
{
    size_t n = strlen(prefix);
    return i < t->count && t->len[i] >= n && memcmp(t->start[i], prefix, n) == 0;
}

/* Digits only, no leading zero (but "0"), at most max_digits. */
static bool parse_digits(const char *s, size_t len, size_t max_digits, long *out)
{
    if (len == 0 || len > max_digits || (len > 1 && s[0] == '0'))
        return false;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* "gN" or "bN" with N < limit. */
static bool parse_name(const char *s, size_t len, char prefix, int limit, int *out)
{
    long v;
    if (len < 2 || s[0] != prefix || !parse_digits(s + 1, len - 1, 6, &v) || v >= limit)
        return false;
    *out = (int)v;
    return true;
}

static bool parse_number(const char *s, size_t len, long *out)
{
    bool negative = len > 0 && s[0] == '-';
    long v;
    if (!parse_digits(s + negative, len - negative, 7, &v) || (negative && v == 0) || v > PROGRAM_MAX_NUMBER)
        return false;
    *out = negative ? -v : v;
    return true;
}

static bool greenlet_token(const struct tokens *t, int i, int *out)
{
    return i < t->count && parse_name(t->start[i], t->len[i], 'g', PROGRAM_MAX_NAMES, out);
}

static bool number_token(const struct tokens *t, int i, long *out)
{
    return i < t->count && parse_number(t->start[i], t->len[i], out);
}

/* Optional trailing "catch" or "raise" at position i. */
static bool on_error_token(const struct tokens *t, int i, bool *raise)
{
    *raise = false;
    if (t->count == i)
        return true;
    if (t->count != i + 1)
        return false;
    if (token_is(t, i, "raise"))
        *raise = true;
    return token_is(t, i, "raise") || token_is(t, i, "catch");
}

static bool parse_action(const struct tokens *t, bool in_main, struct action *a)
{
    memset(a, 0, sizeof *a);
    a->parent = a->body = PROGRAM_NONE;
    int n = t->count;
    if (token_is(t, 0, "new") && n == 4 && has_prefix(t, 2, "parent=") && has_prefix(t, 3, "run=")) {
        a->verb = VERB_NEW;
        if (!greenlet_token(t, 1, &a->target) || a->target == 0)
            return false;
        const char *p = t->start[2] + 7, *r = t->start[3] + 4;
        size_t plen = t->len[2] - 7, rlen = t->len[3] - 4;
        if (!(plen == 3 && memcmp(p, "cur", 3) == 0) && !parse_name(p, plen, 'g', PROGRAM_MAX_NAMES, &a->parent))
            return false;
        return (rlen == 4 && memcmp(r, "none", 4) == 0) || parse_name(r, rlen, 'b', PROGRAM_MAX_BODIES, &a->body);
    }
    if (token_is(t, 0, "switch") && (n == 3 || n == 4)) {
        a->verb = VERB_SWITCH;
        return greenlet_token(t, 1, &a->target) && number_token(t, 2, &a->value) &&
               on_error_token(t, 3, &a->raise_on_error);
    }
    if (token_is(t, 0, "throw") && (n == 4 || n == 5)) {
        a->verb = VERB_THROW;
        return greenlet_token(t, 1, &a->target) && number_token(t, 2, &a->value) &&
               number_token(t, 3, &a->payload) && on_error_token(t, 4, &a->raise_on_error);
    }
    static const struct { const char *word; enum verb verb; } simple[] = {
        {"kill", VERB_KILL}, {"unref", VERB_UNREF}, {"state", VERB_STATE}, {"parent", VERB_PARENT}};
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
        if (token_is(t, 0, simple[i].word) && n == 2) {
            a->verb = simple[i].verb;
            return greenlet_token(t, 1, &a->target);
        }
    }
    if (token_is(t, 0, "set_parent") && n == 3) {
        a->verb = VERB_SET_PARENT;
        return greenlet_token(t, 1, &a->target) && (token_is(t, 2, "none") || greenlet_token(t, 2, &a->parent));
    }
    if (token_is(t, 0, "trace") && n == 2 && (token_is(t, 1, "on") || token_is(t, 1, "off"))) {
        a->verb = VERB_TRACE;
        a->on = token_is(t, 1, "on");
        return true;
    }
    if (token_is(t, 0, "return") && n == 2 && !in_main) {
        a->verb = VERB_RETURN;
        return number_token(t, 1, &a->value);
    }
    if (token_is(t, 0, "raise") && n == 3 && !in_main) {
        a->verb = VERB_RAISE;
        return number_token(t, 1, &a->value) && a->value != 0 && number_token(t, 2, &a->payload);
    }
    return false;
}

/* Only the line number is part of the output both parsers agree on. */
static int fail(char *error, size_t size, int lineno, const char *what)
{
    (void)what; /* documents the reason at the call site */
    snprintf(error, size, "line %d", lineno);
    return -1;
}

int program_parse(const char *text, size_t len, struct program *p, char *error, size_t error_size)
{
    memset(p, 0, sizeof *p);
    enum { OUTSIDE, IN_BODY, IN_MAIN } where = OUTSIDE;
    int body = 0;
    int lineno = 0;
    size_t pos = 0;
    while (pos < len || (pos == len && lineno == 0)) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t line_len = nl != NULL ? (size_t)(nl - line) : len - pos;
        pos += line_len + 1;
        lineno++;
        struct tokens t;
        if (!tokenize(line, line_len, &t))
            return fail(error, error_size, lineno, "bad action");
        if (t.count == 0)
            continue;
        if (where == OUTSIDE) {
            if (token_is(&t, 0, "body") && t.count == 2) {
                if (!parse_name(t.start[1], t.len[1], 'b', PROGRAM_MAX_BODIES, &body))
                    return fail(error, error_size, lineno, "bad body");
                if (p->bodies[body].defined)
                    return fail(error, error_size, lineno, "body defined twice");
                p->bodies[body].first = p->action_count;
                p->bodies[body].count = 0;
                where = IN_BODY;
            } else if (token_is(&t, 0, "main") && t.count == 1) {
                if (p->main.defined)
                    return fail(error, error_size, lineno, "main defined twice");
                p->main.first = p->action_count;
                p->main.count = 0;
                where = IN_MAIN;
            } else {
                return fail(error, error_size, lineno, "expected 'body bK' or 'main'");
            }
        } else if (token_is(&t, 0, "end") && t.count == 1) {
            (where == IN_MAIN ? &p->main : &p->bodies[body])->defined = true;
            where = OUTSIDE;
        } else {
            if (p->action_count == PROGRAM_MAX_ACTIONS)
                return fail(error, error_size, lineno, "too many actions");
            if (!parse_action(&t, where == IN_MAIN, &p->actions[p->action_count]))
                return fail(error, error_size, lineno, "bad action");
            p->action_count++;
            (where == IN_MAIN ? &p->main : &p->bodies[body])->count++;
        }
    }
    if (where != OUTSIDE) {
        snprintf(error, error_size, "missing end");
        return -1;
    }
    p->main.defined = true; /* an absent main is an empty one */
    return 0;
}

void program_format_action(const struct action *a, char *buf, size_t size)
{
    const char *on_error = a->raise_on_error ? " raise" : "";
    switch (a->verb) {
    case VERB_NEW: {
        char parent[16] = "cur", run[16] = "none";
        if (a->parent != PROGRAM_NONE)
            snprintf(parent, sizeof parent, "g%d", a->parent);
        if (a->body != PROGRAM_NONE)
            snprintf(run, sizeof run, "b%d", a->body);
        snprintf(buf, size, "new g%d parent=%s run=%s", a->target, parent, run);
        return;
    }
    case VERB_SWITCH: snprintf(buf, size, "switch g%d %ld%s", a->target, a->value, on_error); return;
    case VERB_THROW: snprintf(buf, size, "throw g%d %ld %ld%s", a->target, a->value, a->payload, on_error); return;
    case VERB_KILL: snprintf(buf, size, "kill g%d", a->target); return;
    case VERB_UNREF: snprintf(buf, size, "unref g%d", a->target); return;
    case VERB_STATE: snprintf(buf, size, "state g%d", a->target); return;
    case VERB_PARENT: snprintf(buf, size, "parent g%d", a->target); return;
    case VERB_SET_PARENT:
        if (a->parent == PROGRAM_NONE)
            snprintf(buf, size, "set_parent g%d none", a->target);
        else
            snprintf(buf, size, "set_parent g%d g%d", a->target, a->parent);
        return;
    case VERB_TRACE: snprintf(buf, size, "trace %s", a->on ? "on" : "off"); return;
    case VERB_RETURN: snprintf(buf, size, "return %ld", a->value); return;
    case VERB_RAISE: snprintf(buf, size, "raise %ld %ld", a->value, a->payload); return;
    }
    snprintf(buf, size, "?");
}

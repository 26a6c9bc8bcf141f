/*
 * Greenlet programs for the differential tester: the parsed form of the
 * line-based language specified in tests/diff/lang.py (the Python side's
 * parser). Both parsers accept exactly the same texts.
 */
#ifndef DIFF_PROGRAM_H
#define DIFF_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>

#define PROGRAM_MAX_NAMES 32
#define PROGRAM_MAX_BODIES 32
#define PROGRAM_MAX_ACTIONS 256
#define PROGRAM_MAX_NUMBER 1000000L
#define PROGRAM_MAX_CREATIONS 64 /* per run: a body may create more of itself */

enum verb {
    VERB_NEW,
    VERB_SWITCH,
    VERB_THROW,
    VERB_KILL,
    VERB_SET_PARENT,
    VERB_UNREF,
    VERB_STATE,
    VERB_PARENT,
    VERB_TRACE,
    VERB_RETURN,
    VERB_RAISE
};

#define PROGRAM_NONE (-1) /* parent=cur for new, none for set_parent, run=none */

struct action {
    enum verb verb;
    int target;          /* greenlet number (g0 = main) */
    int parent;          /* new, set_parent: greenlet number or PROGRAM_NONE */
    int body;            /* new: body number or PROGRAM_NONE */
    long value;          /* switch, return: the value; throw, raise: the code */
    long payload;        /* throw, raise */
    bool raise_on_error; /* switch, throw: hand an error received on to the parent */
    bool on;             /* trace */
};

struct block {
    bool defined;
    int first; /* index into program.actions */
    int count;
};

struct program {
    struct action actions[PROGRAM_MAX_ACTIONS];
    int action_count;
    struct block bodies[PROGRAM_MAX_BODIES];
    struct block main;
};

/* Parses text[0..len). Returns 0, or -1 with a message in error (the same
 * "line N: ..." as the Python parser's, up to its wording). */
int program_parse(const char *text, size_t len, struct program *p, char *error, size_t error_size);

/* The action as program text ("switch g1 5 raise"), as lang.format_action(). */
void program_format_action(const struct action *a, char *buf, size_t size);

#endif

/*
 * The web demo's replies to JavaScript: every export returns one JSON object
 * as a C string (valid until the next call), built with these helpers. Trace
 * events and the walkers' notes accumulate in a separate list during a call
 * and go into the reply as its "events" array.
 */
#ifndef DEMO_REPLY_H
#define DEMO_REPLY_H

#include <greenlet.h>
#include <stdbool.h>
#include <stddef.h>

/* A growable string. On allocation failure it keeps what it had and sets
 * failed, so callers never check each append. */
typedef struct text {
    char *data;
    size_t length, capacity;
    bool failed;
} text_t;

void text_clear(text_t *t);
void text_printf(text_t *t, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal (quoted, escaped); NULL becomes null. */
void text_json_string(text_t *t, const char *s);
/* The text so far ("" when empty). */
const char *text_get(const text_t *t);

/* ---- Events of the current call ---- */

/* A trace event (GREENLET_EVENT_SWITCH or _THROW), as trace.h writes it. */
void events_add_trace(int event, greenlet_t *origin, greenlet_t *target);
/* A note of what a greenlet is doing, by that greenlet's name. */
void events_add_note(const char *who, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Forgets the events collected so far. */
void events_clear(void);
/* Appends `"events":[...]` to t and forgets the events. */
void events_take(text_t *t);

#endif

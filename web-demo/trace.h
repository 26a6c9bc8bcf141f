/*
 * The trace hook's events as JSON, for the page's timelines: every switch and
 * throw (greenlet_settrace) with a snapshot of both greenlets taken inside the
 * hook, that is while the target is about to resume: id, label, state and
 * parent. The page rebuilds the greenlet tree at any step from these.
 *
 * Ids: main is 0; any other greenlet gets the next number the first time it
 * is seen, kept in its context slot (greenlet_context), so a greenlet created
 * at the address of a freed one still gets a new id. The programs traced here
 * do not use the context slot themselves.
 */
#ifndef DEMO_TRACE_H
#define DEMO_TRACE_H

#include <greenlet.h>

#include "reply.h"

/* The greenlet's id (see above); -1 for NULL. */
int trace_id(greenlet_t *g);

/* Its name, "main", or "#id" for an unnamed one. Valid until the next call. */
const char *trace_label(greenlet_t *g);

/* Appends {"kind","origin","target","from","to"}: kind "switch" or "throw",
 * origin and target labels, from and to their snapshots
 * {"id","name","state","parent"} (parent: an id, or null for main). */
void trace_event_json(text_t *out, int event, greenlet_t *origin, greenlet_t *target);

/* Installs a trace hook that appends every event to list, comma-separated
 * (the items of a JSON array), and numbers greenlets from 1 again. */
void trace_start(text_t *list);

/* Removes the hook. */
void trace_stop(void);

#endif

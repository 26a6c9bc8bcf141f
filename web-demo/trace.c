/* Trace events as JSON (see trace.h). */
#include "trace.h"

#include <stdint.h>
#include <stdio.h>

static intptr_t next_id = 1;

int trace_id(greenlet_t *g)
{
    if (!g)
        return -1;
    if (greenlet_is_main(g))
        return 0;
    intptr_t id = (intptr_t)greenlet_context(g);
    if (id == 0) {
        id = next_id++;
        greenlet_set_context(g, (void *)id);
    }
    return (int)id;
}

const char *trace_label(greenlet_t *g)
{
    static char label[24];
    const char *name = greenlet_name(g);
    if (name)
        return name;
    if (greenlet_is_main(g))
        return "main";
    snprintf(label, sizeof label, "#%d", trace_id(g));
    return label;
}

static void snapshot_json(text_t *out, greenlet_t *g)
{
    text_printf(out, "{\"id\":%d,\"name\":", trace_id(g));
    text_json_string(out, trace_label(g));
    text_printf(out, ",\"state\":");
    text_json_string(out, greenlet_state_name(g));
    greenlet_t *parent = greenlet_parent(g);
    if (parent)
        text_printf(out, ",\"parent\":%d}", trace_id(parent));
    else
        text_printf(out, ",\"parent\":null}");
}

void trace_event_json(text_t *out, int event, greenlet_t *origin, greenlet_t *target)
{
    text_printf(out, "{\"kind\":\"%s\",\"origin\":", event == GREENLET_EVENT_THROW ? "throw" : "switch");
    text_json_string(out, trace_label(origin));
    text_printf(out, ",\"target\":");
    text_json_string(out, trace_label(target));
    text_printf(out, ",\"from\":");
    snapshot_json(out, origin);
    text_printf(out, ",\"to\":");
    snapshot_json(out, target);
    text_printf(out, "}");
}

/* Runs in the target greenlet just before it resumes (R17). */
static void append_event(int event, greenlet_t *origin, greenlet_t *target, void *userdata)
{
    text_t *list = userdata;
    if (list->length > 0)
        text_printf(list, ",");
    trace_event_json(list, event, origin, target);
}

void trace_start(text_t *list)
{
    next_id = 1;
    greenlet_settrace(append_event, list);
}

void trace_stop(void)
{
    greenlet_settrace(NULL, NULL);
}

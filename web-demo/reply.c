/* JSON text for the web demo's replies (see reply.h). */
#include "reply.h"

#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool text_reserve(text_t *t, size_t extra)
{
    if (t->failed)
        return false;
    if (t->length + extra + 1 <= t->capacity)
        return true;
    size_t capacity = t->capacity ? t->capacity : 256;
    while (capacity < t->length + extra + 1)
        capacity *= 2;
    char *data = realloc(t->data, capacity);
    if (!data) {
        t->failed = true;
        return false;
    }
    t->data = data;
    t->capacity = capacity;
    return true;
}

void text_clear(text_t *t)
{
    t->length = 0;
    t->failed = false;
    if (t->data)
        t->data[0] = '\0';
}

static void text_vprintf(text_t *t, const char *format, va_list args)
{
    va_list copy;
    va_copy(copy, args);
    int needed = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    if (needed < 0 || !text_reserve(t, (size_t)needed))
        return;
    vsnprintf(t->data + t->length, (size_t)needed + 1, format, args);
    t->length += (size_t)needed;
}

void text_printf(text_t *t, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    text_vprintf(t, format, args);
    va_end(args);
}

void text_json_string(text_t *t, const char *s)
{
    if (!s) {
        text_printf(t, "null");
        return;
    }
    text_printf(t, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            text_printf(t, "\\%c", c);
        else if (c < 0x20)
            text_printf(t, "\\u%04x", c);
        else
            text_printf(t, "%c", c);
    }
    text_printf(t, "\"");
}

const char *text_get(const text_t *t)
{
    return t->data && !t->failed ? t->data : "";
}

/* ---- Events ---- */

static text_t events; /* the items of a JSON array, comma-separated */

static void event_separator(void)
{
    if (events.length > 0)
        text_printf(&events, ",");
}

void events_add_trace(int event, greenlet_t *origin, greenlet_t *target)
{
    event_separator();
    trace_event_json(&events, event, origin, target);
}

void events_add_note(const char *who, const char *format, ...)
{
    text_t message = {0};
    va_list args;
    va_start(args, format);
    text_vprintf(&message, format, args);
    va_end(args);
    event_separator();
    text_printf(&events, "{\"kind\":\"note\",\"who\":");
    text_json_string(&events, who);
    text_printf(&events, ",\"text\":");
    text_json_string(&events, text_get(&message));
    text_printf(&events, "}");
    free(message.data);
}

void events_clear(void)
{
    text_clear(&events);
}

void events_take(text_t *t)
{
    text_printf(t, "\"events\":[%s]", text_get(&events));
    events_clear();
}

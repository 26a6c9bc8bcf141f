/*
 * "Treating an asynchronous GUI like a synchronous loop" (greenlet's docs), in
 * C, in the browser.
 *
 * The browser hands out input as events: the page calls gui_click() or
 * gui_key() when one happens, and gui_frame() once per animation frame. With
 * callbacks, a tool that needs two clicks would be a state machine ("am I
 * waiting for the first point or the second?"). Here the drawing tool is one
 * plain loop in its own greenlet, the painter: wait for a click, wait for
 * another click, draw a line between them, again. Waiting is a switch to main
 * (the C function the page called, which then returns to the browser's event
 * loop); each event export switches back into the painter with the event.
 *
 * Meanwhile two ball greenlets animate, each its own loop too: move, bounce,
 * wait for the next frame. main composes the picture after every call, and
 * the page copies it onto a <canvas>.
 */
#include <emscripten.h>
#include <greenlet.h>
#include <stdbool.h>
#include <string.h>

#include "canvas.h"
#include "reply.h"
#include "trace.h"

typedef struct point {
    int x, y;
} point_t;

enum { EVENT_CLICK = 1, EVENT_KEY = 2 };
enum { KEY_LEFT = 1, KEY_UP = 2, KEY_RIGHT = 3, KEY_DOWN = 4, KEY_ENTER = 13 }; /* others: the character */

typedef struct event {
    int kind;
    point_t where; /* a click's position in canvas pixels */
    int key;
} event_t;

static const uint32_t palette[] = {CANVAS_RGB(29, 38, 48), CANVAS_RGB(9, 105, 218), CANVAS_RGB(207, 34, 46),
                                   CANVAS_RGB(31, 136, 61)};
enum { PALETTE_SIZE = sizeof palette / sizeof palette[0] };
#define PAPER CANVAS_RGB(255, 255, 255)
#define CURSOR CANVAS_RGB(150, 160, 170)

static canvas_t drawing; /* the painter's lines */
static canvas_t screen;  /* what the page shows: the lines, the balls, the markers */

/* ---- The painter ---- */

static struct {
    const char *prompt; /* what it waits for */
    int events;         /* clicks and keys it received */
    int lines;
    int colour; /* index into palette */
    bool has_start;
    point_t start, cursor;
} painter = {.cursor = {CANVAS_WIDTH / 2, CANVAS_HEIGHT / 2}};

/* Suspends the painter until the next click or key: main returns to the
 * browser, and gui_click()/gui_key() switch back with the event. NULL when
 * an error was thrown in instead. */
static const event_t *next_event(void)
{
    const event_t *e = greenlet_switch(greenlet_parent(greenlet_current()), NULL);
    if (e)
        painter.events++;
    return e;
}

static int clamp(int v, int low, int high)
{
    return v < low ? low : v > high ? high : v;
}

/* Keys other than Enter: arrows move the keyboard cursor, 1-4 pick a colour,
 * c clears the drawing. */
static void obey_key(int key)
{
    static const point_t steps[] = {[KEY_LEFT] = {-8, 0}, [KEY_UP] = {0, -8}, [KEY_RIGHT] = {8, 0},
                                    [KEY_DOWN] = {0, 8}};
    if (key >= KEY_LEFT && key <= KEY_DOWN) {
        painter.cursor.x = clamp(painter.cursor.x + steps[key].x, 0, CANVAS_WIDTH - 1);
        painter.cursor.y = clamp(painter.cursor.y + steps[key].y, 0, CANVAS_HEIGHT - 1);
    } else if (key >= '1' && key < '1' + PALETTE_SIZE) {
        painter.colour = key - '1';
    } else if (key == 'c') {
        canvas_fill(&drawing, PAPER);
    }
}

/* Waits for a click, or Enter or space at the keyboard cursor, obeying other
 * keys meanwhile. false when an error was thrown in. */
static bool next_click(const char *prompt, point_t *where)
{
    painter.prompt = prompt;
    for (;;) {
        const event_t *e = next_event();
        if (!e)
            return false;
        if (e->kind == EVENT_CLICK)
            painter.cursor = e->where;
        if (e->kind == EVENT_CLICK || e->key == KEY_ENTER || e->key == ' ') {
            *where = painter.cursor;
            return true;
        }
        obey_key(e->key);
    }
}

/* The whole drawing tool. */
static void *painter_run(void *unused)
{
    (void)unused;
    point_t from, to;
    while (next_click("click where a line starts", &from)) {
        painter.start = from;
        painter.has_start = true;
        if (!next_click("click where it ends", &to))
            break;
        painter.has_start = false;
        canvas_line(&drawing, from.x, from.y, to.x, to.y, palette[painter.colour]);
        painter.lines++;
    }
    return NULL;
}

/* ---- The balls ---- */

enum { BALL_RADIUS = 7 };

typedef struct ball {
    int x, y, dx, dy;
    uint32_t colour;
    int frames; /* frames it has moved in */
    greenlet_t *greenlet;
} ball_t;

static ball_t balls[] = {
    {.x = 40, .y = 30, .dx = 3, .dy = 2, .colour = CANVAS_RGB(244, 162, 97)},
    {.x = 250, .y = 150, .dx = -2, .dy = 3, .colour = CANVAS_RGB(138, 201, 38)},
};
enum { BALL_COUNT = sizeof balls / sizeof balls[0] };

/* Suspends the ball until gui_frame() resumes it; false when an error was
 * thrown in. */
static bool next_frame(void)
{
    greenlet_switch(greenlet_parent(greenlet_current()), NULL);
    return greenlet_error(NULL) == 0;
}

/* Bounces off the edges: one step per frame. */
static void *ball_run(void *arg)
{
    ball_t *b = arg;
    while (next_frame()) {
        if (b->x + b->dx < BALL_RADIUS || b->x + b->dx >= CANVAS_WIDTH - BALL_RADIUS)
            b->dx = -b->dx;
        if (b->y + b->dy < BALL_RADIUS || b->y + b->dy >= CANVAS_HEIGHT - BALL_RADIUS)
            b->dy = -b->dy;
        b->x += b->dx;
        b->y += b->dy;
        b->frames++;
    }
    return NULL;
}

/* ---- main: the browser's side ---- */

static greenlet_t *painter_greenlet;
static text_t reply, trace;

static void compose(void)
{
    memcpy(screen.pixels, drawing.pixels, sizeof screen.pixels);
    for (int i = 0; i < BALL_COUNT; i++)
        canvas_disc(&screen, balls[i].x, balls[i].y, BALL_RADIUS, balls[i].colour);
    if (painter.has_start)
        canvas_ring(&screen, painter.start.x, painter.start.y, 5, palette[painter.colour]);
    point_t c = painter.cursor;
    canvas_ring(&screen, c.x, c.y, 3, CURSOR);
}

static void reply_point(const point_t *p)
{
    if (p)
        text_printf(&reply, "{\"x\":%d,\"y\":%d}", p->x, p->y);
    else
        text_printf(&reply, "null");
}

/* Composes the picture and replies with everything the page shows:
 * {"width","height","pixels","painter","balls","events"}; the events are the
 * switches since the previous reply that had them (with_events). */
static const char *gui_reply(bool with_events)
{
    compose();
    text_clear(&reply);
    text_printf(&reply, "{\"width\":%d,\"height\":%d,\"pixels\":%lu,\"painter\":{\"state\":", CANVAS_WIDTH,
                CANVAS_HEIGHT, (unsigned long)(uintptr_t)screen.pixels);
    text_json_string(&reply, greenlet_state_name(painter_greenlet));
    text_printf(&reply, ",\"prompt\":");
    text_json_string(&reply, painter.prompt);
    text_printf(&reply, ",\"events\":%d,\"lines\":%d,\"colour\":%d,\"start\":", painter.events, painter.lines,
                painter.colour);
    reply_point(painter.has_start ? &painter.start : NULL);
    text_printf(&reply, ",\"cursor\":");
    reply_point(&painter.cursor);
    text_printf(&reply, "},\"balls\":[");
    for (int i = 0; i < BALL_COUNT; i++) {
        text_printf(&reply, "%s{\"name\":", i ? "," : "");
        text_json_string(&reply, greenlet_name(balls[i].greenlet));
        text_printf(&reply, ",\"state\":");
        text_json_string(&reply, greenlet_state_name(balls[i].greenlet));
        text_printf(&reply, ",\"x\":%d,\"y\":%d,\"frames\":%d}", balls[i].x, balls[i].y, balls[i].frames);
    }
    text_printf(&reply, "],\"events\":[%s]}", with_events ? text_get(&trace) : "");
    if (with_events)
        text_clear(&trace);
    return text_get(&reply);
}

/* Creates the greenlets and runs each to its first wait. Once. */
EMSCRIPTEN_KEEPALIVE const char *gui_start(void)
{
    if (painter_greenlet)
        return gui_reply(true);
    trace_start(&trace);
    canvas_fill(&drawing, PAPER);
    painter_greenlet = greenlet_new(painter_run, NULL, &(greenlet_attr_t){.name = "painter"});
    greenlet_switch(painter_greenlet, NULL);
    static const char *const names[BALL_COUNT] = {"ball 1", "ball 2"};
    for (int i = 0; i < BALL_COUNT; i++) {
        balls[i].greenlet = greenlet_new(ball_run, NULL, &(greenlet_attr_t){.name = names[i]});
        greenlet_switch(balls[i].greenlet, &balls[i]);
    }
    return gui_reply(true);
}

/* The event lives on main's stack, which stays put while the painter reads it. */
static const char *deliver(const event_t *e)
{
    if (greenlet_active(painter_greenlet))
        greenlet_switch(painter_greenlet, (void *)e);
    return gui_reply(true);
}

EMSCRIPTEN_KEEPALIVE const char *gui_click(int x, int y)
{
    event_t e = {.kind = EVENT_CLICK, .where = {clamp(x, 0, CANVAS_WIDTH - 1), clamp(y, 0, CANVAS_HEIGHT - 1)}};
    return deliver(&e);
}

EMSCRIPTEN_KEEPALIVE const char *gui_key(int key)
{
    event_t e = {.kind = EVENT_KEY, .key = key};
    return deliver(&e);
}

EMSCRIPTEN_KEEPALIVE const char *gui_frame(void)
{
    for (int i = 0; i < BALL_COUNT; i++)
        if (greenlet_active(balls[i].greenlet))
            greenlet_switch(balls[i].greenlet, NULL);
    return gui_reply(true);
}

/* The state as it is, without delivering anything; the events stay for the
 * page's next call. */
EMSCRIPTEN_KEEPALIVE const char *gui_state(void)
{
    return gui_reply(false);
}

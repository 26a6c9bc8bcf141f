/*
 * The greenlet side of the in-browser demo (web-demo/index.html): real
 * greenlets, compiled to WebAssembly with libgreenlet's wasm backend. The page
 * only calls the exports below and draws their JSON replies.
 *
 * A "walker" is a greenlet running an ordinary recursive tree walk. At every
 * leaf it switches to its parent (the main greenlet, which is whatever C code
 * JavaScript called) with that leaf, and its whole recursion stays suspended
 * on its own stack until the parent switches back. Suspended walkers survive
 * between calls from JavaScript, so the page resumes them one click at a time.
 *
 *   generator: one walker, one leaf per click (gen_load, gen_next), and an
 *              error thrown into it that it does not handle: its frames
 *              unwind and the error arrives in its parent (gen_throw);
 *   same fringe: two walkers, compared leaf by leaf (fringe_load,
 *              fringe_step, fringe_run); once the answer is known, a
 *              walker still inside its tree is killed where it waits.
 *
 * A trace hook (greenlet_settrace) records every switch and throw; the
 * walkers add notes about what they do. Both go into each reply's "events".
 */
#include <emscripten.h>
#include <greenlet.h>
#include <stdio.h>
#include <string.h>

#include "reply.h"
#include "tree.h"

/* ---- Tracing ---- */

/* Runs in the target greenlet just before it resumes (R17). */
static void record_trace(int event, greenlet_t *origin, greenlet_t *target, void *userdata)
{
    (void)userdata;
    events_add_trace(event, origin, target);
}

/* Called at the top of every export: JavaScript is talking to C again. */
static text_t reply;
static void begin_call(void)
{
    if (!greenlet_gettrace(NULL))
        greenlet_settrace(record_trace, NULL);
    text_clear(&reply);
}

/* ---- Walkers ---- */

typedef struct walker {
    const char *name;          /* its greenlet's name, in traces and notes */
    tree_t tree;
    greenlet_t *greenlet;      /* NULL before a tree was loaded */
    int stack[TREE_MAX_DEPTH]; /* the nodes whose walk() frames are on its C stack */
    int depth;
} walker_t;

/* The recursive walk, as one would write it without greenlets, except that
 * "visit the leaf" is a switch to the parent. Returns false when the parent
 * answered with an error instead of asking for the next leaf. */
static bool walk(walker_t *w, node_t *node)
{
    w->stack[w->depth++] = node->id;
    bool ok = true;
    if (node->leaf) {
        events_add_note(w->name, "yields %s, %d walk() frame%s deep", node->label, w->depth,
                        w->depth == 1 ? "" : "s");
        greenlet_switch(greenlet_parent(greenlet_current()), node); /* suspended here */
        ok = greenlet_error(NULL) == 0;
    } else {
        for (node_t *child = node->first; child && ok; child = child->next)
            ok = walk(w, child);
    }
    w->depth--;
    if (!ok)
        events_add_note(w->name, "error pending: walk() returns from depth %d", w->depth + 1);
    return ok;
}

/* The walker greenlet's run function: its first value is the walker. */
static void *walker_run(void *arg)
{
    walker_t *w = arg;
    events_add_note(w->name, "starts: run() calls walk(root)");
    if (walk(w, w->tree.root)) {
        events_add_note(w->name, "no more leaves: run() returns NULL to its parent");
        return NULL;
    }
    void *payload = NULL;
    int code = greenlet_error(&payload);
    if (code == GREENLET_EXIT)
        events_add_note(w->name, "killed: run() returns, GREENLET_EXIT is swallowed");
    else
        events_add_note(w->name, "run() returns with error %d pending: it goes to the parent", code);
    return NULL;
}

/* Releases the walker's greenlet. Dropping the last reference to a suspended
 * greenlet kills it first (R15): its walk() frames unwind through the
 * GREENLET_EXIT thrown in where it waits. */
static void walker_release(walker_t *w)
{
    if (!w->greenlet)
        return;
    if (greenlet_active(w->greenlet))
        events_add_note("main", "drops %s, suspended %d frame%s deep: it is killed", w->name, w->depth,
                        w->depth == 1 ? "" : "s");
    greenlet_unref(w->greenlet);
    w->greenlet = NULL;
    w->depth = 0;
}

/* Ends a walker that is no longer needed but keeps its handle, so that its
 * state can still be shown: greenlet_kill() throws GREENLET_EXIT into it
 * where it waits and returns 0 once it is dead (R14). */
static void walker_stop(walker_t *w)
{
    if (!greenlet_active(w->greenlet))
        return;
    events_add_note("main", "kills %s, suspended %d frame%s deep", w->name, w->depth, w->depth == 1 ? "" : "s");
    int code = greenlet_kill(w->greenlet);
    if (code != 0) {
        events_add_note("main", "greenlet_kill() failed: %s", greenlet_error_message());
        greenlet_clear_error();
    }
}

/* Loads a new tree into the walker and creates its (unstarted) greenlet. */
static bool walker_load(walker_t *w, const char *text, char *error, size_t error_size)
{
    walker_release(w); /* before the tree it walks changes */
    if (!tree_parse(&w->tree, text, error, error_size))
        return false;
    greenlet_attr_t attr = {.name = w->name};
    w->greenlet = greenlet_new(walker_run, NULL, &attr); /* a child of main */
    if (!w->greenlet) {
        snprintf(error, error_size, "%s", greenlet_error_message());
        greenlet_clear_error();
        return false;
    }
    return true;
}

/* The walker's next leaf, or NULL when it finished (or an error came back,
 * which is left pending for the caller). */
static node_t *walker_next(walker_t *w)
{
    return greenlet_switch(w->greenlet, w); /* starts it, or resumes its walk() */
}

static void reply_walker(const walker_t *w)
{
    text_printf(&reply, "{\"name\":");
    text_json_string(&reply, w->name);
    text_printf(&reply, ",\"state\":");
    text_json_string(&reply, w->greenlet ? greenlet_state_name(w->greenlet) : "none");
    text_printf(&reply, ",\"stack\":[");
    for (int i = 0; i < w->depth; i++)
        text_printf(&reply, "%s%d", i ? "," : "", w->stack[i]);
    text_printf(&reply, "],\"tree\":");
    tree_json(&reply, w->tree.root);
    text_printf(&reply, "}");
}

static void reply_leaf(const node_t *leaf)
{
    if (!leaf) {
        text_printf(&reply, "null");
        return;
    }
    text_printf(&reply, "{\"id\":%d,\"leaf\":", leaf->id);
    text_json_string(&reply, leaf->label);
    text_printf(&reply, "}");
}

/* Ends a reply: the events, then the closing brace. */
static const char *finish_reply(void)
{
    events_take(&reply);
    text_printf(&reply, "}");
    return text_get(&reply);
}

/* ---- Demo 1: a generator ---- */

enum { STOP_WALKING = 42 }; /* a user error code: positive */
static const char stop_payload[] = "stop walking";

static walker_t generator = {.name = "walker"};

/* Reply: {"error", "walker", "value", "done", "delivered", "events"}. */
static const char *generator_reply(const char *error, const node_t *value, int delivered_code,
                                   const char *delivered_message, const void *delivered_payload)
{
    text_printf(&reply, "{\"error\":");
    text_json_string(&reply, error);
    text_printf(&reply, ",\"walker\":");
    reply_walker(&generator);
    text_printf(&reply, ",\"value\":");
    reply_leaf(value);
    text_printf(&reply, ",\"done\":%s,\"delivered\":",
                generator.greenlet && greenlet_dead(generator.greenlet) ? "true" : "false");
    if (delivered_code) {
        text_printf(&reply, "{\"code\":%d,\"message\":", delivered_code);
        text_json_string(&reply, delivered_message);
        text_printf(&reply, ",\"payload\":");
        text_json_string(&reply, delivered_payload == stop_payload ? stop_payload : NULL);
        text_printf(&reply, "}");
    } else {
        text_printf(&reply, "null");
    }
    text_printf(&reply, ",");
    return finish_reply();
}

EMSCRIPTEN_KEEPALIVE const char *gen_load(const char *text)
{
    begin_call();
    char error[160];
    if (!walker_load(&generator, text, error, sizeof error))
        return generator_reply(error, NULL, 0, NULL, NULL);
    return generator_reply(NULL, NULL, 0, NULL, NULL);
}

EMSCRIPTEN_KEEPALIVE const char *gen_next(void)
{
    begin_call();
    if (!generator.greenlet)
        return generator_reply("load a tree first", NULL, 0, NULL, NULL);
    if (greenlet_dead(generator.greenlet))
        return generator_reply(NULL, NULL, 0, NULL, NULL); /* switching to it would come straight back */
    node_t *leaf = walker_next(&generator);
    if (leaf)
        events_add_note("main", "got %s", leaf->label);
    return generator_reply(NULL, leaf, 0, NULL, NULL);
}

/* Throws STOP_WALKING into the walker, which does not handle it: the error
 * unwinds its walk() frames, leaves run() and is delivered to its parent,
 * main, as the result of this greenlet_throw() (R11, R12). */
EMSCRIPTEN_KEEPALIVE const char *gen_throw(void)
{
    begin_call();
    if (!generator.greenlet)
        return generator_reply("load a tree first", NULL, 0, NULL, NULL);
    events_add_note("main", "throws error %d into %s", STOP_WALKING, generator.name);
    node_t *leaf = greenlet_throw(generator.greenlet, STOP_WALKING, (void *)stop_payload);
    void *payload = NULL;
    int code = greenlet_error(&payload);
    char message[200] = "";
    if (code) {
        snprintf(message, sizeof message, "%s", greenlet_error_message());
        events_add_note("main", "greenlet_throw() returned NULL with error %d pending", code);
        greenlet_clear_error();
    }
    return generator_reply(NULL, leaf, code, message, payload);
}

/* ---- Demo 2: same fringe ---- */

static walker_t fringe[2] = {{.name = "walker A"}, {.name = "walker B"}};

typedef struct pair {
    const node_t *a, *b; /* NULL: that tree had no more leaves */
} pair_t;

static struct {
    bool loaded;
    pair_t pairs[TREE_MAX_NODES + 1];
    int count;
    const char *verdict; /* "undecided", "same", "different" or "failed" */
    char reason[120];
} comparison;

/* Reply: {"errors":{"a","b"}, "walkers":[A,B], "pairs", "verdict", "reason", "events"}. */
static const char *fringe_reply(const char *error_a, const char *error_b)
{
    text_printf(&reply, "{\"errors\":{\"a\":");
    text_json_string(&reply, error_a);
    text_printf(&reply, ",\"b\":");
    text_json_string(&reply, error_b);
    text_printf(&reply, "},\"walkers\":[");
    reply_walker(&fringe[0]);
    text_printf(&reply, ",");
    reply_walker(&fringe[1]);
    text_printf(&reply, "],\"pairs\":[");
    for (int i = 0; i < comparison.count; i++) {
        text_printf(&reply, "%s{\"a\":", i ? "," : "");
        reply_leaf(comparison.pairs[i].a);
        text_printf(&reply, ",\"b\":");
        reply_leaf(comparison.pairs[i].b);
        text_printf(&reply, "}");
    }
    text_printf(&reply, "],\"verdict\":");
    text_json_string(&reply, comparison.loaded ? comparison.verdict : NULL);
    text_printf(&reply, ",\"reason\":");
    text_json_string(&reply, comparison.reason);
    text_printf(&reply, ",");
    return finish_reply();
}

EMSCRIPTEN_KEEPALIVE const char *fringe_load(const char *text_a, const char *text_b)
{
    begin_call();
    char error_a[160], error_b[160];
    bool ok_a = walker_load(&fringe[0], text_a, error_a, sizeof error_a);
    bool ok_b = walker_load(&fringe[1], text_b, error_b, sizeof error_b);
    comparison.loaded = ok_a && ok_b;
    comparison.count = 0;
    comparison.verdict = "undecided";
    comparison.reason[0] = '\0';
    if (!comparison.loaded) {
        walker_release(&fringe[0]);
        walker_release(&fringe[1]);
    }
    return fringe_reply(ok_a ? NULL : error_a, ok_b ? NULL : error_b);
}

/* Pulls one leaf from each walker and compares them. Once the answer is
 * known, both walkers are stopped; one still inside its tree is killed. */
static void compare_next_pair(void)
{
    const node_t *a = walker_next(&fringe[0]);
    const node_t *b = walker_next(&fringe[1]);
    int position = comparison.count + 1;
    comparison.pairs[comparison.count++] = (pair_t){a, b};
    if (greenlet_error(NULL) != 0) { /* a walker could not run (no memory for its stack) */
        comparison.verdict = "failed";
        snprintf(comparison.reason, sizeof comparison.reason, "%s", greenlet_error_message());
        greenlet_clear_error();
    } else if (!a && !b) {
        comparison.verdict = "same";
        snprintf(comparison.reason, sizeof comparison.reason, "both trees have the same %d leaves",
                 position - 1);
    } else if (!a || !b) {
        comparison.verdict = "different";
        snprintf(comparison.reason, sizeof comparison.reason, "tree %s has no leaf %d", a ? "B" : "A", position);
    } else if (strcmp(a->label, b->label) != 0) {
        comparison.verdict = "different";
        snprintf(comparison.reason, sizeof comparison.reason, "leaf %d is %s in A and %s in B", position,
                 a->label, b->label);
    } else {
        events_add_note("main", "leaf %d: %s = %s", position, a->label, b->label);
        return;
    }
    events_add_note("main", "verdict: %s (%s)", comparison.verdict, comparison.reason);
    walker_stop(&fringe[0]);
    walker_stop(&fringe[1]);
}

EMSCRIPTEN_KEEPALIVE const char *fringe_step(void)
{
    begin_call();
    if (!comparison.loaded)
        return fringe_reply("load both trees first", NULL);
    if (strcmp(comparison.verdict, "undecided") == 0)
        compare_next_pair();
    return fringe_reply(NULL, NULL);
}

EMSCRIPTEN_KEEPALIVE const char *fringe_run(void)
{
    begin_call();
    if (!comparison.loaded)
        return fringe_reply("load both trees first", NULL);
    while (strcmp(comparison.verdict, "undecided") == 0)
        compare_next_pair();
    return fringe_reply(NULL, NULL);
}

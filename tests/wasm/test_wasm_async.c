/*
 * Wasm-only (Emscripten): the backend coexists with Emscripten's own Asyncify
 * (issue 3, item 3). A greenlet awaits a JavaScript Promise (EM_ASYNC_JS) or
 * sleeps (emscripten_sleep) while other greenlets are suspended; the whole
 * wasm stack, main's frames included, unwinds to JavaScript and comes back;
 * then switching goes on. A rejected Promise becomes a greenlet error. The
 * exports are driven by test_wasm_async.mjs, which checks that JavaScript
 * gets a Promise of each export's result.
 */
#include <emscripten.h>
#include <stdint.h>
#include <string.h>

#include "greenlet.h"

#define VAL(n) ((void *)(intptr_t)(n))
#define NUM(p) ((int)(intptr_t)(p))

/* Resolves with n * 10 after a timer tick; rejects when n < 0. Returns the
 * value, or -1 for a rejection (the error's message goes to lastError). */
EM_ASYNC_JS(int, await_times_ten, (int n), {
    try {
        return await new Promise(function(resolve, reject) {
            setTimeout(function() {
                if (n < 0)
                    reject(new Error('rejected ' + n));
                else
                    resolve(n * 10);
            }, 1);
        });
    } catch (e) {
        Module.lastError = String(e.message);
        return -1;
    }
});

enum { ERROR_REJECTED = 77 };

/* The exports (prototypes for -Wmissing-prototypes). */
int await_in_greenlet(int a, int b);
int rejection_becomes_an_error(void);
int counter_value(void);

/* A greenlet's helper: awaits, and turns a rejection into a greenlet error. */
static int await_or_raise(int n)
{
    int v = await_times_ten(n);
    if (v == -1)
        greenlet_raise(ERROR_REJECTED, VAL(n));
    return v;
}

static void *counter(void *arg)
{
    int n = NUM(arg);
    for (;;) {
        char local[32]; /* address-taken: lives on this greenlet's C stack */
        memset(local, n & 0x7f, sizeof local);
        void *next = greenlet_switch(greenlet_parent(greenlet_current()), VAL(n));
        if (greenlet_error(NULL) != 0)
            return NULL; /* killed */
        for (size_t i = 0; i < sizeof local; i++)
            if (local[i] != (char)(n & 0x7f))
                return VAL(-1000);
        n += NUM(next);
    }
}

static void *awaiter(void *arg)
{
    char local[32];
    memset(local, 0x5a, sizeof local);
    int total = await_or_raise(NUM(arg));      /* suspends everything to JS */
    if (greenlet_error(NULL) != 0)
        return NULL;                           /* R11: the error goes to the parent */
    void *more = greenlet_switch(greenlet_parent(greenlet_current()), VAL(total));
    emscripten_sleep(1);                       /* and once more, after a switch */
    total += await_or_raise(NUM(more));
    for (size_t i = 0; i < sizeof local; i++)
        if (local[i] != 0x5a)
            return VAL(-2000);
    return VAL(total);
}

static greenlet_t *counter_g;

/* Returns 1000 * 10a + (10a + 10b), or a negative step number on failure. */
EMSCRIPTEN_KEEPALIVE int await_in_greenlet(int a, int b)
{
    counter_g = greenlet_new(counter, NULL, NULL);
    if (NUM(greenlet_switch(counter_g, VAL(1))) != 1) /* counter suspended */
        return -1;
    greenlet_t *g = greenlet_new(awaiter, NULL, NULL);
    int first = NUM(greenlet_switch(g, VAL(a)));      /* awaits a Promise inside */
    if (NUM(greenlet_switch(counter_g, VAL(2))) != 3)  /* switching goes on */
        return -2;
    int total = NUM(greenlet_switch(g, VAL(b)));      /* sleeps, awaits again, dies */
    if (!greenlet_dead(g) || greenlet_error(NULL) != 0)
        return -3;
    if (NUM(greenlet_switch(counter_g, VAL(4))) != 7)
        return -4;
    greenlet_unref(g);
    return first * 1000 + total;
}

/* A rejected Promise: the awaiting greenlet raises, the error reaches main. */
EMSCRIPTEN_KEEPALIVE int rejection_becomes_an_error(void)
{
    greenlet_t *g = greenlet_new(awaiter, NULL, NULL);
    void *payload = NULL;
    void *v = greenlet_switch(g, VAL(-5));
    int code = greenlet_error(&payload);
    greenlet_clear_error();
    if (v != NULL || code != ERROR_REJECTED || NUM(payload) != -5 || !greenlet_dead(g))
        return -10;
    greenlet_unref(g);
    if (NUM(greenlet_switch(counter_g, VAL(1))) != 8)
        return -20;
    return code;
}

/* The counter greenlet survived all of it. */
EMSCRIPTEN_KEEPALIVE int counter_value(void)
{
    int v = NUM(greenlet_switch(counter_g, VAL(0)));
    greenlet_unref(counter_g);
    counter_g = NULL;
    return v;
}

/*
 * WebAssembly backend: greenlet switches with Binaryen Asyncify, driven from C.
 *
 * The main greenlet runs on the original stack and is never unwound by us.
 * When it switches, it calls the trampoline (run_greenlets), which stays
 * below main's frames and runs the other greenlets one after the other, each
 * on its own linear-memory C stack:
 *   - a fresh greenlet is entered by calling glet_greenlet_entry(), the bottom
 *     of every non-main greenlet stack;
 *   - a greenlet that switches (glet_backend_leave) unwinds its frames, back
 *     to the trampoline, into save data at the bottom of its own C stack (free
 *     while it is suspended); the trampoline then enters the target:
 *     a suspended greenlet is rewound by calling glet_greenlet_entry() again
 *     in Asyncify's rewinding state; main is reached by returning.
 * No switch calls JavaScript.
 *
 * Binaryen instruments every function that can reach a switch (the core's
 * general switch path, user code, and every indirect call), and none of the
 * runtime: leave_greenlet() and greenlet_switch() (whose fast path does the
 * switch itself: switch_entry.c, switch_inline.h) call start_unwind/stop_rewind ("top-most"),
 * and run_greenlets() calls stop_unwind/start_rewind ("bottom-most"). The
 * calls that cross between runtime and instrumented code go through volatile
 * function pointers so that neither LLVM nor Binaryen can inline one into the
 * other. Emscripten's own Asyncify (emscripten_sleep, an awaited Promise) can
 * unwind a greenlet and main's frames together out to JavaScript and rewind
 * them later (see glet_wasm_parked below): the calls of the trampoline are
 * instrumented call sites, or greenlet_switch() calls it again itself.
 * Every frame on a greenlet's stack costs an unwind and a rewind at each
 * switch: the switch path has as few as it can (switch_inline.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "../backend.h"
#include "asyncify.h"
#include "limits.h"
#include "overflow.h"
#include "switch.h"

/* The context executing now. */
_Thread_local struct backend_context *glet_wasm_running;
/* Main's context and stack pointer while the trampoline runs below it. */
static _Thread_local struct backend_context *trampoline_main;
static _Thread_local void *trampoline_main_sp;
/* Set by a greenlet that unwinds to switch: where it goes. */
_Thread_local struct backend_context *glet_wasm_switch_target;
/* The unwind in progress is a greenlet switch (not Emscripten's). */
_Thread_local bool glet_wasm_unwinding_for_switch;
/* The rewind in progress resumes a greenlet switch (not Emscripten's). */
_Thread_local bool glet_wasm_rewinding_for_switch;
/* Top-most runtime calls that Emscripten's unwind passed through and its
 * rewind has not called again yet (switch_inline.h). */
_Thread_local unsigned glet_wasm_foreign_unwound;
/* glet_wasm_foreign_unwound's count for the call that ran the trampoline
 * (there is one at a time), 0 for none. */
_Thread_local unsigned glet_wasm_foreign_trampoline;
/* A greenlet that Emscripten's Asyncify unwound (with main's frames) out to
 * JavaScript ("parked"): the next entry into the trampoline is Emscripten's
 * rewind. */
_Thread_local struct backend_context *glet_wasm_parked;

static void run_greenlets(struct backend_context *to);
static void leave_greenlet(struct backend_context *from);

void (*volatile glet_wasm_run_greenlets_call)(struct backend_context *) = run_greenlets;
void (*volatile glet_wasm_leave_greenlet_call)(struct backend_context *) = leave_greenlet;
static void (*volatile greenlet_entry_call)(void) = glet_greenlet_entry;

/* Makes c the running context. The caller moves __stack_pointer itself: at
 * -O0 a helper's epilogue would move it back. */
static void make_running(struct backend_context *c)
{
    glet_wasm_running = c;
    limits_set(c->stack_lo, c->stack_hi);
}

/* Bottom-most runtime: not instrumented; keeps its state in statics because
 * Emscripten's rewind re-enters it from the top. */
static void run_greenlets(struct backend_context *to)
{
    bool emscripten_rewind = glet_wasm_parked != NULL;
    if (emscripten_rewind) {
        to = glet_wasm_parked;
        glet_wasm_parked = NULL;
    } else {
        trampoline_main = glet_wasm_running;
        trampoline_main_sp = glet_wasm_get_sp();
    }
    while (!to->is_main) {
        if (emscripten_rewind) {
            emscripten_rewind = false;
            make_running(to);
            glet_wasm_set_sp(to->sp);
        } else if (to->fresh) {
            to->fresh = false;
            make_running(to);
            glet_wasm_set_sp(to->stack_hi);
        } else {
            make_running(to);
            glet_wasm_set_sp(to->sp);
            glet_wasm_rewinding_for_switch = true;
            asyncify_start_rewind(&to->save);
        }
        greenlet_entry_call();
        /* Back here: the greenlet's frames have unwound. */
        if (!glet_wasm_unwinding_for_switch) {
            /* Emscripten's Asyncify is leaving for JavaScript: let it unwind
             * main's frames too, on main's stack. */
            to->sp = glet_wasm_get_sp();
            glet_overflow_check_stack(to, to->sp, false);
            glet_wasm_parked = to;
            make_running(trampoline_main);
            glet_wasm_set_sp(trampoline_main_sp);
            return;
        }
        glet_wasm_unwinding_for_switch = false;
        if (to->save.current > to->save.end)
            to->save.end = to->save.current; /* report it ourselves, not by a trap */
        asyncify_stop_unwind();
        glet_overflow_check_save(to);
        to = glet_wasm_switch_target;
    }
    make_running(to);
    glet_wasm_set_sp(trampoline_main_sp);
}

/* Top-most runtime: not instrumented; its instrumented caller re-calls it when
 * the greenlet is rewound. (greenlet_switch()'s fast path does the same
 * inline, switch_inline.h.) */
static void leave_greenlet(struct backend_context *from)
{
    if (glet_wasm_rewinding_for_switch) {
        glet_wasm_rewinding_for_switch = false;
        asyncify_stop_rewind();
        return;
    }
    glet_backend_leave(from, glet_wasm_switch_target);
}

#ifndef __EMSCRIPTEN__
/* Only Emscripten unwinds and rewinds besides the switch. */
bool glet_wasm_foreign_rewinding(void) { return false; }
#endif

/* Out of glet_backend_switch() (switch_inline.h): its varargs call would give
 * the switch's frame a linear-memory stack frame, which every switch would
 * then pay for. */
void glet_wasm_refuse_switch_while_parked(void)
{
    fprintf(stderr,
            "libgreenlet: cannot switch greenlets while greenlet '%s' waits for JavaScript "
            "(emscripten_sleep or an awaited Promise); aborting\n",
            glet_wasm_parked->name != NULL ? glet_wasm_parked->name : "(unnamed)");
    abort();
}

void glet_backend_context_init_main(struct backend_context *c)
{
    c->save.current = c->save.end = NULL;
    c->sp = NULL;
    limits_get(&c->stack_lo, &c->stack_hi);
    c->guard_lo = c->stack_lo;
    c->name = "main";
    c->is_main = true;
    c->fresh = false;
    glet_wasm_running = c;
}

void glet_backend_context_start(struct backend_context *c, struct stack *s, const char *name)
{
    c->save.current = c->save.end = NULL; /* set by each unwind */
    c->sp = NULL;
    c->stack_lo = s->lo;
    c->stack_hi = s->hi;
    c->guard_lo = s->extra.guard_lo;
    c->name = name;
    c->is_main = false;
    c->fresh = true;
}

void glet_backend_context_finish(struct backend_context *c)
{
    glet_overflow_check_stack(c, c->stack_hi, true);
    c->sp = NULL;
}

void glet_switch_thread_exit(void) { glet_wasm_running = NULL; }

/*
 * WebAssembly backend: the parts of the switch that are inline in the core,
 * because every frame on a greenlet's stack costs an Asyncify unwind and a
 * rewind at each switch.
 *
 * glet_backend_switch() is the switch of the core's general path: it calls
 * switch.c's runtime through volatile pointers (see there).
 *
 * The fast path of greenlet_switch() (switch_entry.c) is Asyncify's "top-most
 * runtime" itself: a greenlet that switches from there starts the unwind in
 * that call (glet_backend_leave) and its caller, user code, is the first frame
 * saved; when the greenlet is resumed, its caller calls greenlet_switch()
 * again, which stops the rewind (glet_backend_reentry). Binaryen does not
 * instrument greenlet_switch() then, so whatever it calls that can switch
 * (its slow paths) is called through one instrumented function: when an
 * unwind passes through that call, greenlet_switch() returns at once (its
 * caller saves itself), and when the rewind calls greenlet_switch() again it
 * calls that function again, whose own frame Asyncify restores.
 */
#ifndef GREENLET_WASM_SWITCH_INLINE_H
#define GREENLET_WASM_SWITCH_INLINE_H

#define GLET_BACKEND_SWITCH_INLINE 1

#include <stdint.h>

#include "asyncify.h"
#include "overflow_inline.h"

extern _Thread_local struct backend_context *glet_wasm_running;
extern _Thread_local struct backend_context *glet_wasm_parked;
extern _Thread_local struct backend_context *glet_wasm_switch_target;
extern _Thread_local bool glet_wasm_unwinding_for_switch;
extern _Thread_local bool glet_wasm_rewinding_for_switch;
extern _Thread_local unsigned glet_wasm_foreign_unwound;
extern _Thread_local unsigned glet_wasm_foreign_trampoline;
extern void (*volatile glet_wasm_run_greenlets_call)(struct backend_context *to);
extern void (*volatile glet_wasm_leave_greenlet_call)(struct backend_context *from);
void glet_wasm_refuse_switch_while_parked(void) __attribute__((noreturn));
bool glet_wasm_foreign_rewinding(void);

static inline __attribute__((always_inline)) void glet_backend_switch(struct backend_context *from,
                                                                      struct backend_context *to, bool final)
{
    (void)final; /* a finished greenlet unwinds like any other: that is how it leaves */
    if (__builtin_expect(glet_wasm_parked != NULL, 0))
        glet_wasm_refuse_switch_while_parked();
    if (from->is_main) {
        glet_wasm_run_greenlets_call(to);
        return;
    }
    glet_wasm_switch_target = to;
    glet_wasm_leave_greenlet_call(from);
}

/* How the caller, a top-most runtime function, may switch away from from:
 * a greenlet by glet_backend_leave(), main by glet_backend_enter(); or
 * neither (glet_backend_switch() in instrumented code then). */
enum glet_way { GLET_WAY_LEAVE, GLET_WAY_ENTER, GLET_WAY_OTHER };

static inline __attribute__((always_inline)) enum glet_way glet_backend_way(const struct backend_context *from)
{
    if (__builtin_expect(glet_wasm_parked != NULL, 0))
        return GLET_WAY_OTHER; /* refused there */
    return from->is_main ? GLET_WAY_ENTER : GLET_WAY_LEAVE;
}

/* Main runs the trampoline, which enters to (NULL: Emscripten's rewind of
 * the parked greenlet). Returns true when a greenlet has switched back to
 * main; false when Emscripten's unwind passes through instead: the caller
 * returns at once, and the rewind calls it again (GLET_REENTRY_ENTER). */
static inline __attribute__((always_inline)) bool glet_backend_enter(struct backend_context *to)
{
    glet_wasm_run_greenlets_call(to);
    if (__builtin_expect(glet_wasm_parked == NULL, 1))
        return true;
    /* The one trampoline frame: the rewind knows it by this count. */
    glet_wasm_foreign_trampoline = ++glet_wasm_foreign_unwound;
    return false;
}

/* Starts the unwind of from's frames, the caller's caller first; the
 * trampoline then enters to. The caller returns at once. */
static inline __attribute__((always_inline)) void glet_backend_leave(struct backend_context *from,
                                                                     struct backend_context *to)
{
    glet_wasm_switch_target = to;
    from->sp = glet_wasm_get_sp();
    glet_overflow_check_stack(from, from->sp, false);
    /* The save data goes to the bottom of the stack, up towards sp: the part
     * of the stack that is free while the greenlet is suspended. */
    from->save.current = from->stack_lo;
    from->save.end = (char *)from->sp - SAVE_MARGIN;
    if (from->save.end < from->stack_lo)
        from->save.end = from->stack_lo;
    glet_wasm_unwinding_for_switch = true;
    asyncify_start_unwind(&from->save);
}

enum glet_reentry {
    GLET_REENTRY_NONE,    /* a call, not a rewind */
    GLET_REENTRY_RESUMED, /* the rewind of this call's own glet_backend_leave(): stopped, the switch is over */
    GLET_REENTRY_THROUGH, /* a rewind to a frame further up: make the same instrumented call again */
    GLET_REENTRY_ENTER,   /* Emscripten's rewind through glet_backend_enter(): call it again */
};

/* What a call of a top-most runtime function is: the first thing it does. */
static inline __attribute__((always_inline)) enum glet_reentry glet_backend_reentry(void)
{
    if (__builtin_expect(glet_wasm_rewinding_for_switch, 0)) {
        /* The frames above this one have restored their save data. */
        if (glet_wasm_running->save.current != glet_wasm_running->stack_lo)
            return GLET_REENTRY_THROUGH;
        glet_wasm_rewinding_for_switch = false;
        asyncify_stop_rewind();
        return GLET_REENTRY_RESUMED;
    }
    /* Emscripten's own rewind (emscripten_sleep...) never ends here. */
    if (__builtin_expect(glet_wasm_foreign_unwound != 0, 0) && glet_wasm_foreign_rewinding()) {
        /* Calls come back outermost first, as their count went up. */
        bool enter = glet_wasm_foreign_unwound-- == glet_wasm_foreign_trampoline;
        if (enter)
            glet_wasm_foreign_trampoline = 0;
        return enter ? GLET_REENTRY_ENTER : GLET_REENTRY_THROUGH;
    }
    return GLET_REENTRY_NONE;
}

/* Called by a top-most runtime function whose instrumented call returned
 * because an unwind passes through it: if it is Emscripten's, the next call
 * may be its rewind. */
static inline __attribute__((always_inline)) void glet_backend_unwound_through(void)
{
    if (!glet_wasm_unwinding_for_switch)
        glet_wasm_foreign_unwound++;
}

#endif /* GREENLET_WASM_SWITCH_INLINE_H */

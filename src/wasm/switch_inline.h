/*
 * WebAssembly backend: glet_backend_switch() is inline in the core's switch
 * path (backend.h), because a function of its own would be one more frame
 * that Asyncify unwinds and rewinds at every switch. The state it uses and
 * the two runtime functions it calls are switch.c's; the calls go through
 * volatile pointers (see there).
 */
#ifndef GREENLET_WASM_SWITCH_INLINE_H
#define GREENLET_WASM_SWITCH_INLINE_H

#define GLET_BACKEND_SWITCH_INLINE 1

extern struct backend_context *glet_wasm_parked;
extern struct backend_context *glet_wasm_switch_target;
extern void (*volatile glet_wasm_run_greenlets_call)(struct backend_context *to);
extern void (*volatile glet_wasm_leave_greenlet_call)(struct backend_context *from);
void glet_wasm_refuse_switch_while_parked(void) __attribute__((noreturn));

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

#endif /* GREENLET_WASM_SWITCH_INLINE_H */

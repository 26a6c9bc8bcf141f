/*
 * Binaryen's Asyncify intrinsics, called from C. They are imports that the
 * asyncify pass replaces by direct calls to the functions it generates, so no
 * switch leaves wasm. A function that calls start_unwind or stop_rewind is
 * "top-most runtime", one that calls stop_unwind or start_rewind "bottom-most
 * runtime": Binaryen does not instrument either, and a function must not be
 * both (bottom-most wins and its callers would lose their instrumentation).
 */
#ifndef GREENLET_WASM_ASYNCIFY_H
#define GREENLET_WASM_ASYNCIFY_H

#include "context.h"

#define ASYNCIFY_IMPORT(name) __attribute__((import_module("asyncify"), import_name(name)))

ASYNCIFY_IMPORT("start_unwind") void asyncify_start_unwind(struct asyncify_data *data);
ASYNCIFY_IMPORT("stop_unwind") void asyncify_stop_unwind(void);
ASYNCIFY_IMPORT("start_rewind") void asyncify_start_rewind(struct asyncify_data *data);
ASYNCIFY_IMPORT("stop_rewind") void asyncify_stop_rewind(void);

/* stack_pointer.S */
void *glet_wasm_get_sp(void);
void glet_wasm_set_sp(void *sp);

#endif /* GREENLET_WASM_ASYNCIFY_H */

/*
 * The runtime's own idea of the C stack bounds, moved with every switch so
 * that emscripten_stack_get_free() and friends describe the running
 * greenlet's stack. Plain WASI has no such bounds: nothing to do there.
 */
#ifndef GREENLET_WASM_LIMITS_H
#define GREENLET_WASM_LIMITS_H

#ifdef __EMSCRIPTEN__
#include <emscripten/stack.h>

static inline void limits_set(char *lo, char *hi) { emscripten_stack_set_limits(hi, lo); }
static inline void limits_get(char **lo, char **hi)
{
    *lo = (char *)emscripten_stack_get_end();
    *hi = (char *)emscripten_stack_get_base();
}
#else
static inline void limits_set(char *lo, char *hi) { (void)lo, (void)hi; }
static inline void limits_get(char **lo, char **hi) { *lo = *hi = NULL; }
#endif

#endif /* GREENLET_WASM_LIMITS_H */

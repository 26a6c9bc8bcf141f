/*
 * WebAssembly stacks: one heap block per greenlet holding, from low to high
 * addresses, the descriptor, a canary guard zone and the C stack (grows
 * down). A suspended greenlet keeps its Asyncify save data at the bottom of
 * its own C stack, below its stack pointer, where nothing lives while it is
 * suspended (switch.c): a greenlet costs its stack and no more. An overflow
 * runs into the guard first (overflow.c). The pool in the core keeps blocks
 * for reuse, so steady-state greenlets cost no allocation (R20).
 */
#include <stdint.h>
#include <stdlib.h>

#include "../backend.h"
#include "overflow.h"

#define DEFAULT_STACK_SIZE (64u * 1024u)
#define MIN_STACK_SIZE (8u * 1024u)
/* wasm32 has at most 4 GiB of linear memory (2 GiB by default with
 * Emscripten): larger stacks are refused (GREENLET_ENOMEM), not attempted. */
#define MAX_STACK_SIZE (256u * 1024u * 1024u)
#define ALIGN 16u

size_t glet_backend_default_stack_size(void) { return DEFAULT_STACK_SIZE; }
size_t glet_backend_min_stack_size(void) { return MIN_STACK_SIZE; }

static size_t round_up(size_t n) { return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1); }

/* The guard: an eighth of the stack, at least 1 KiB. A frame that jumps
 * further past the stack's end between two switches is not caught in time. */
static size_t guard_size_for(size_t stack_size)
{
    size_t guard = round_up(stack_size / 8);
    return guard < MIN_GUARD_SIZE ? MIN_GUARD_SIZE : guard;
}

struct stack *glet_backend_stack_map(size_t size, const char **why)
{
    if (size > MAX_STACK_SIZE) {
        *why = "larger than the WebAssembly backend allows (256 MiB)";
        return NULL;
    }
    size_t descriptor = round_up(sizeof(struct stack));
    size_t guard = guard_size_for(size);
    size_t usable = round_up(size);
    size_t total = descriptor + guard + usable;
    char *block = aligned_alloc(ALIGN, total);
    if (block == NULL) {
        *why = "out of linear memory";
        return NULL;
    }
    struct stack *s = (struct stack *)block;
    s->extra.block = block;
    s->extra.guard_lo = block + descriptor;
    s->lo = s->extra.guard_lo + guard;
    s->hi = block + total;
    s->size = size;
    s->next = NULL;
    glet_overflow_fill_guard(s);
    return s;
}

void glet_backend_stack_unmap(struct stack *s) { free(s->extra.block); }

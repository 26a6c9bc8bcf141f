/*
 * The two assembly routines every native architecture provides, one file per
 * architecture/ABI (switch_<arch>_<abi>.S). Everything else in src/native/ is
 * portable C.
 */
#ifndef GREENLET_NATIVE_SWITCH_H
#define GREENLET_NATIVE_SWITCH_H

/* What Windows must be told of a stack (its Thread Information Block):
 * switch_x86_64_ms.S swaps these with the context. Elsewhere unused. */
struct native_stack_limits {
    void *deallocation_stack;  /* the bottom of the stack's reservation: guards included */
    void *stack_limit;         /* the lowest committed byte the stack may use */
    unsigned guaranteed;       /* bytes kept for the stack overflow handler */
};

/*
 * Builds the first frame of a new context at the top of a stack (stack_top is
 * one past the highest usable byte) and returns the stack pointer to give to
 * glet_native_swap(). The frame holds the CURRENT floating-point control
 * state (R22: a new greenlet inherits it from the greenlet that starts it),
 * and resumes into a start stub that calls start() with a correctly aligned
 * stack and ends the backtrace there. start() must never return. limits is
 * read on Windows only (the other ABIs ignore the argument).
 */
void *glet_native_make(void *stack_top, void (*start)(void), const struct native_stack_limits *limits);

/*
 * Pushes the callee-saved registers and floating-point control state of the
 * running context, stores its stack pointer in *save_sp, loads load_sp and
 * pops the state saved there: the call "returns" in the other context.
 */
void glet_native_swap(void **save_sp, void *load_sp);

#endif /* GREENLET_NATIVE_SWITCH_H */

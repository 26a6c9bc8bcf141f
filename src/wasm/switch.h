/* WebAssembly backend: the switch's per-thread state (switch.c). */
#ifndef GREENLET_WASM_SWITCH_H
#define GREENLET_WASM_SWITCH_H

/* Forgets the running context, at thread exit. */
void glet_switch_thread_exit(void);

#endif

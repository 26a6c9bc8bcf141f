/*
 * WebAssembly backend: what each thread sets up and tears down
 * (src/backend.h). One thread, no signals: only the switch's record of the
 * running context goes.
 */
#include "../backend.h"
#include "switch.h"

int glet_backend_thread_init(void) { return 0; }

void glet_backend_thread_exit(void) { glet_switch_thread_exit(); }

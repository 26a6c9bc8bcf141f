/* Native stacks carved from regions: see stack.c. */
#ifndef GREENLET_NATIVE_STACK_H
#define GREENLET_NATIVE_STACK_H

/* Unmaps the calling thread's regions; at thread exit, once every stack of
 * the thread has been given back. */
void glet_stack_regions_release_all(void);

#endif

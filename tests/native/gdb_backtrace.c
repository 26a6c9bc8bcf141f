/*
 * Native only: a program for gdb (see gdb_backtrace.cmake). The switch's CFI
 * must let a debugger walk from code inside a greenlet down to the greenlet's
 * entry, and stop there cleanly (issue 2: "gdb's bt inside a greenlet").
 */
#include <greenlet.h>
#include <stdio.h>

__attribute__((noinline)) int greenlet_bt_probe(int depth);

/* The breakpoint goes here: three frames of our own above the entry. */
__attribute__((noinline)) int greenlet_bt_probe(int depth)
{
    __asm__ volatile("" ::: "memory");
    return depth + 1;
}

static __attribute__((noinline)) int recurse(int n)
{
    int r = n == 0 ? greenlet_bt_probe(n) : recurse(n - 1) + 1;
    __asm__ volatile("" ::: "memory");
    return r;
}

static void *body(void *arg)
{
    (void)arg;
    greenlet_switch(greenlet_parent(greenlet_current()), NULL); /* suspend once */
    return (void *)(long)recurse(2);
}

int main(void)
{
    greenlet_t *g = greenlet_new(body, NULL, NULL);
    greenlet_switch(g, NULL);
    long r = (long)greenlet_switch(g, NULL);
    greenlet_unref(g);
    printf("result %ld\n", r);
    return r == 3 ? 0 : 1;
}

/* A program outside the libgreenlet tree, built against an installed copy
 * (see ../install_and_consume.cmake): it must compile with only the installed
 * header and link with only the installed library. */
#include <greenlet.h>
#include <stdint.h>
#include <stdio.h>

/* Doubles every value it receives until it receives 0. */
static void *doubler(void *arg)
{
    intptr_t n = (intptr_t)arg;
    while (n != 0)
        n = (intptr_t)greenlet_switch(greenlet_parent(greenlet_current()), (void *)(2 * n));
    return (void *)(intptr_t)-1;
}

int main(void)
{
    greenlet_t *g = greenlet_new(doubler, NULL, NULL);
    if (!g) {
        fprintf(stderr, "consumer: greenlet_new failed: %s\n", greenlet_error_message());
        return 1;
    }
    intptr_t sum = 0;
    for (intptr_t i = 1; i <= 4; i++)
        sum += (intptr_t)greenlet_switch(g, (void *)i);
    intptr_t last = (intptr_t)greenlet_switch(g, (void *)0);
    int ok = sum == 20 && last == -1 && greenlet_dead(g) && greenlet_error(NULL) == 0;
    greenlet_unref(g);
    printf("consumer: libgreenlet %d.%d.%d, sum %ld, last %ld: %s\n", GREENLET_VERSION_MAJOR,
           GREENLET_VERSION_MINOR, GREENLET_VERSION_PATCH, (long)sum, (long)last, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

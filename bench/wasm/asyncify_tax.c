/*
 * The Asyncify tax on code that never switches (bench/wasm/tax.sh builds and
 * runs it): three kernels that make indirect calls, which Binaryen must
 * instrument in a module that links libgreenlet unless told otherwise.
 *
 *   node asyncify_tax.js KERNEL    (fib | qsort | snprintf)
 *
 * runs KERNEL once untimed (so that V8 has compiled it with its optimising
 * tier), then once timed, and prints the milliseconds of the timed run and a
 * checksum: "KERNEL MS CHECKSUM". Built with -DTAX_WITH_GREENLET, main also
 * makes one greenlet switch first, so that the library and its switch path
 * are in the module as in a real program; nothing switches during a kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef TAX_WITH_GREENLET
#include <greenlet.h>
#endif

/* (a) Recursion through a function pointer. volatile: the compiler cannot
 * turn the indirect call back into a direct one. */
static int fib(int n);
static int (*volatile fib_call)(int) = fib;

static int fib(int n) { return n < 2 ? n : fib_call(n - 1) + fib_call(n - 2); }

static unsigned long kernel_fib(void) { return (unsigned long)fib_call(32); }

/* (b) qsort with a comparator. */
#define SORT_COUNT 200000

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static unsigned long kernel_qsort(void)
{
    int *v = malloc(SORT_COUNT * sizeof *v);
    if (!v)
        abort();
    unsigned int seed = 12345;
    for (int i = 0; i < SORT_COUNT; i++) {
        seed = seed * 1103515245u + 12345u;
        v[i] = (int)(seed >> 1);
    }
    qsort(v, SORT_COUNT, sizeof *v, compare_ints);
    unsigned long sum = 0;
    for (int i = 0; i < SORT_COUNT; i += 1000)
        sum += (unsigned long)v[i] % 1000003u;
    free(v);
    return sum;
}

/* (c) stdio: formatting into a buffer. */
#define FORMAT_COUNT 200000

static unsigned long kernel_snprintf(void)
{
    char buf[128];
    unsigned long sum = 0;
    for (int i = 0; i < FORMAT_COUNT; i++) {
        int n = snprintf(buf, sizeof buf, "item %d: %s %x %5.2f", i, "value", (unsigned)i * 7u, i * 0.25);
        sum += (unsigned long)n + (unsigned char)buf[n - 1];
    }
    return sum;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#ifdef TAX_WITH_GREENLET
static void *echo(void *value) { return value; }

static void touch_greenlets(void)
{
    greenlet_t *g = greenlet_new(echo, NULL, NULL);
    if (!g || greenlet_switch(g, (void *)1) != (void *)1)
        abort();
    greenlet_unref(g);
}
#endif

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        unsigned long (*run)(void);
    } kernels[] = {{"fib", kernel_fib}, {"qsort", kernel_qsort}, {"snprintf", kernel_snprintf}};
#ifdef TAX_WITH_GREENLET
    touch_greenlets();
#endif
    for (size_t k = 0; k < sizeof kernels / sizeof kernels[0]; k++) {
        if (argc != 2 || strcmp(argv[1], kernels[k].name) != 0)
            continue;
        unsigned long warm = kernels[k].run();
        double t0 = now_ms();
        unsigned long sum = kernels[k].run();
        double ms = now_ms() - t0;
        if (sum != warm)
            abort();
        printf("%s %.3f %lu\n", kernels[k].name, ms, sum);
        return 0;
    }
    fprintf(stderr, "usage: asyncify_tax fib|qsort|snprintf\n");
    return 2;
}

/*
 * The stack overflow report (R21), shared by the backends. It may run in a
 * signal handler on an alternate stack, or while Asyncify is unwinding, so it
 * formats by hand and writes with write(2) alone.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"

static void put(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void put_number(size_t v)
{
    char buf[24];
    char *p = buf + sizeof buf - 1;
    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    put(p);
}

void glet_report_overflow(const char *what, const char *name, size_t size, size_t needed)
{
    put("libgreenlet: ");
    put(what);
    put(" overflow in greenlet '");
    put(name != NULL ? name : "(unnamed)");
    put("' (");
    put_number(size);
    put(" bytes");
    if (needed != 0) {
        put(", ");
        put_number(needed);
        put(" needed");
    }
    put("; give it a larger greenlet_attr_t.stack_size); aborting\n");
    abort();
}

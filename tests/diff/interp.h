/*
 * The C interpreter of greenlet programs (tests/diff/lang.py): runs one
 * program with libgreenlet on the calling thread and writes its event lines,
 * the same as tests/diff/pyinterp.py prints with Python's greenlet.
 */
#ifndef DIFF_INTERP_H
#define DIFF_INTERP_H

#include <stddef.h>
#include <stdio.h>

/* Runs the program text[0..len). Event lines go to out (NULL: formatted and
 * dropped, for the fuzzer). Returns 0, or 1 for a parse error (reported as
 * one "parse error: ..." line). Not reentrant: one run per thread at a time. */
int interp_run(const char *text, size_t len, FILE *out);

#endif

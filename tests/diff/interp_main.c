/*
 * greenlet_interp: reads one greenlet program, or a batch of programs
 * separated by lines "%%", on stdin and prints each one's event lines (a
 * batch: each preceded by "%% <index>"), like tests/diff/pyinterp.py.
 * Single-threaded, so that it also builds for WebAssembly.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

struct chunk {
    size_t start, len;
};

static char *read_all(FILE *in, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, in); /* may be short before the end (Emscripten, pipes) */
        n += got;
        if (got == 0)
            break;
        if (n < cap)
            continue;
        char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL)
            free(buf);
        buf = bigger;
        cap *= 2;
    }
    *len = n;
    return buf;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* A line that is "%%" but for blanks. */
static bool is_separator(const char *line, size_t len)
{
    while (len > 0 && is_blank(line[len - 1]))
        len--;
    while (len > 0 && is_blank(*line)) {
        line++;
        len--;
    }
    return len == 2 && line[0] == '%' && line[1] == '%';
}

/* Has a word outside comments (as lang.split_batch keeps a last program). */
static bool has_words(const char *text, size_t len)
{
    bool comment = false;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n')
            comment = false;
        else if (text[i] == '#')
            comment = true;
        else if (!comment && !is_blank(text[i]))
            return true;
    }
    return false;
}

int main(void)
{
    size_t len;
    char *text = read_all(stdin, &len);
    if (text == NULL) {
        fprintf(stderr, "greenlet_interp: out of memory\n");
        return 2;
    }
    size_t count = 0, cap = 16;
    struct chunk *chunks = malloc(cap * sizeof *chunks);
    size_t start = 0, pos = 0;
    while (chunks != NULL && pos <= len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl != NULL ? (size_t)(nl - text) : len;
        bool last = nl == NULL;
        if (is_separator(text + pos, end - pos) || (last && has_words(text + start, len - start))) {
            if (count == cap) {
                struct chunk *bigger = realloc(chunks, (cap *= 2) * sizeof *chunks);
                if (bigger == NULL)
                    free(chunks);
                chunks = bigger;
                if (chunks == NULL)
                    break;
            }
            chunks[count].start = start;
            chunks[count].len = (last ? end : pos) - start;
            count++;
            start = end + 1;
        }
        pos = end + 1;
    }
    if (chunks == NULL) {
        fprintf(stderr, "greenlet_interp: out of memory\n");
        return 2;
    }
    for (size_t i = 0; i < count; i++) {
        if (count > 1)
            printf("%%%% %zu\n", i);
        interp_run(text + chunks[i].start, chunks[i].len, stdout);
    }
    fflush(stdout);
    free(chunks);
    free(text);
    return 0;
}

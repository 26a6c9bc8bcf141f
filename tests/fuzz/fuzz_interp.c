/*
 * libFuzzer target: runs arbitrary text through the C interpreter of the
 * differential tester's programs (tests/diff/lang.py), so the fuzzer drives
 * libgreenlet through any order of switches, throws, kills, re-parentings and
 * reference drops, with ASan and UBSan watching. Each input runs on a fresh
 * thread: that thread's exit kills whatever the program left suspended (R15),
 * so one input cannot leak into the next. Native only (threads).
 *
 *     bash tests/fuzz/run.sh SECONDS
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "interp.h"

#define MAX_INPUT 16384 /* longer programs only repeat what shorter ones can do */

struct input {
    const char *text;
    size_t size;
};

static void *run_input(void *arg)
{
    const struct input *in = arg;
    interp_run(in->text, in->size, NULL);
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    struct input in = {(const char *)data, size};
    pthread_t thread;
    if (pthread_create(&thread, NULL, run_input, &in) != 0)
        abort();
    pthread_join(thread, NULL);
    return 0;
}

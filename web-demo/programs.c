/*
 * The example programs, run one at a time from the page: examples/ and
 * throw_kill.c, each compiled with its main() renamed (web-demo/build.mjs
 * passes -Dmain=<name>_main), linked into one module. What they print goes
 * to the page through Emscripten's stdout; the trace hook records every switch
 * and throw while one runs.
 */
#include <emscripten.h>
#include <greenlet.h>
#include <stdio.h>
#include <string.h>

#include "reply.h"
#include "trace.h"

int generator_main(void);
int same_fringe_main(void);
int pipeline_main(void);
int throw_kill_main(void);

static const struct program {
    const char *name;
    int (*main)(void);
} programs[] = {
    {"generator", generator_main},
    {"same_fringe", same_fringe_main},
    {"pipeline", pipeline_main},
    {"throw_kill", throw_kill_main},
};

static text_t reply, trace;

/* Runs the program called name. Reply: {"program","status","error","events"}:
 * status is what its main() returned (-1: no such program), error the
 * message of an error it left pending in main (cleared for the next run). */
EMSCRIPTEN_KEEPALIVE const char *run_program(const char *name)
{
    text_clear(&reply);
    text_clear(&trace);
    const struct program *program = NULL;
    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++)
        if (strcmp(programs[i].name, name) == 0)
            program = &programs[i];
    int status = -1;
    if (program) {
        trace_start(&trace);
        status = program->main();
        trace_stop();
        fflush(stdout); /* the page gets every line before the reply */
    }
    text_printf(&reply, "{\"program\":");
    text_json_string(&reply, name);
    text_printf(&reply, ",\"status\":%d,\"error\":", status);
    text_json_string(&reply, greenlet_error(NULL) ? greenlet_error_message() : NULL);
    greenlet_clear_error();
    text_printf(&reply, ",\"events\":[%s]}", text_get(&trace));
    return text_get(&reply);
}

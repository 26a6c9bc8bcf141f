/* Running part of a test in a child process that is expected to die, and
 * collecting its stderr. The child is this program again: fork() on POSIX;
 * on Windows, a new process started with "--child ARGS", which main() hands
 * to child_dispatch(). Either way the child runs child_case(args), which the
 * test defines, and exits with 0 if that returns. */
#ifndef GREENLET_TESTS_CHILD_H
#define GREENLET_TESTS_CHILD_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

struct outcome {
    bool died;      /* a signal, an unhandled exception, or a nonzero exit status */
    char err[4096]; /* its stderr */
};

/* Defined by the test: what a child does, named by args. */
static void child_case(const char *args);

#ifdef _WIN32
#include <windows.h>

static void run_child(const char *args, struct outcome *out)
{
    memset(out, 0, sizeof *out);
    char program[MAX_PATH], command[MAX_PATH + 1024];
    CHECK(GetModuleFileNameA(NULL, program, sizeof program) > 0);
    snprintf(command, sizeof command, "\"%s\" --child \"%s\"", program, args);
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE read_end, write_end;
    CHECK(CreatePipe(&read_end, &write_end, &inherit, 0));
    SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA start; /* no designated initializers: C++ includes this too */
    memset(&start, 0, sizeof start);
    start.cb = sizeof start;
    start.dwFlags = STARTF_USESTDHANDLES;
    start.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    start.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    start.hStdError = write_end;
    PROCESS_INFORMATION child;
    fflush(stdout);
    fflush(stderr);
    CHECK(CreateProcessA(program, command, NULL, NULL, TRUE, 0, NULL, NULL, &start, &child));
    CloseHandle(write_end);
    DWORD used = 0, n;
    while (used < sizeof out->err - 1 && ReadFile(read_end, out->err + used, sizeof out->err - 1 - used, &n, NULL) &&
           n > 0)
        used += n;
    out->err[used] = '\0';
    CloseHandle(read_end);
    DWORD status = 1;
    WaitForSingleObject(child.hProcess, INFINITE);
    GetExitCodeProcess(child.hProcess, &status);
    CloseHandle(child.hProcess);
    CloseHandle(child.hThread);
    out->died = status != 0;
}

static inline LONG WINAPI die_quietly(EXCEPTION_POINTERS *e)
{
    (void)e;
    return EXCEPTION_EXECUTE_HANDLER;
}

/* For a child that faults on purpose: an unhandled exception ends the
 * process with its code, as Windows does without a debugger (Wine would
 * start winedbg whatever SetErrorMode says). */
static inline void child_expects_a_fault(void) { SetUnhandledExceptionFilter(die_quietly); }

/* Call first in main(): runs the child's case and exits, in a child. */
static void child_dispatch(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "--child") != 0)
        return;
    /* Dying is expected: no error dialog. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    child_case(argv[2]);
    fflush(stdout);
    _exit(0);
}
#else
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void run_child(const char *args, struct outcome *out)
{
    int fds[2], status = 0;
    memset(out, 0, sizeof *out);
    CHECK_INT(pipe(fds), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core); /* dying is expected: no core file */
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        child_case(args);
        fflush(stdout);
        _exit(0);
    }
    close(fds[1]);
    size_t used = 0;
    ssize_t n;
    while ((n = read(fds[0], out->err + used, sizeof out->err - 1 - used)) > 0)
        used += (size_t)n;
    out->err[used] = '\0';
    close(fds[0]);
    CHECK_INT(waitpid(pid, &status, 0), pid);
    out->died = WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0);
}

static inline void child_expects_a_fault(void) {}

static void child_dispatch(int argc, char **argv) { (void)argc, (void)argv; }
#endif

#endif

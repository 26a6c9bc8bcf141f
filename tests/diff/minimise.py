#!/usr/bin/python3
"""Shrinks a program on which the interpreters disagree to a smallest one
that still shows a disagreement (greedy: drop one action, one body, or zero
one number at a time, until nothing more can go).

    minimise.py INTERP < program.txt           smallest program on which they disagree
    minimise.py --crash INTERP < program.txt   smallest program on which INTERP fails
                                               (non-zero exit: a sanitizer report, a crash)
"""
import sys

import lang
import runners


def candidates(bodies, main):
    """Smaller variants of a program, most shrinking first."""
    for b in sorted(bodies):
        rest = dict(bodies)
        del rest[b]
        yield rest, main
    blocks = [("main", main)] + [(b, bodies[b]) for b in sorted(bodies)]
    for key, actions in blocks:
        for i in range(len(actions)):
            yield replace(bodies, main, key, actions[:i] + actions[i + 1:])
    for key, actions in blocks:
        for i, a in enumerate(actions):
            for simpler in simplify(a):
                yield replace(bodies, main, key, actions[:i] + [simpler] + actions[i + 1:])


def replace(bodies, main, key, actions):
    if key == "main":
        return bodies, actions
    rest = dict(bodies)
    rest[key] = actions
    return rest, main


def simplify(a):
    verb = a[0]
    if verb == "switch":
        if a[2] != 0:
            yield ("switch", a[1], 0, a[3])
        if a[3] == "raise":
            yield ("switch", a[1], a[2], "catch")
    elif verb == "throw":
        if a[3] != 0:
            yield ("throw", a[1], a[2], 0, a[4])
        if a[4] == "raise":
            yield ("throw", a[1], a[2], a[3], "catch")
    elif verb == "return" and a[1] != 0:
        yield ("return", 0)
    elif verb == "raise" and a[2] != 0:
        yield ("raise", a[1], 0)


def crashes(interp, program):
    return runners.run_c(interp, [program])[1] is not None


def minimise(interp, text, log=None, crash=False):
    """crash: keep what makes the C interpreter fail, not what makes them disagree."""
    bodies, main = lang.parse(text)
    best = lang.format_program(bodies, main)
    if crash:
        still_fails = lambda program: crashes(interp, program)  # noqa: E731
    else:
        still_fails = lambda program: runners.mismatch(interp, program) is not None  # noqa: E731
    if not still_fails(best):
        return text  # only fails in its batch, or not at all: keep it whole
    while True:
        cands = [lang.format_program(b, m) for b, m in candidates(bodies, main)]
        if not cands:
            return best
        if crash:
            suspects = range(len(cands))
        else:
            py, py_fail = runners.run_python(cands)
            c, c_fail = runners.run_c(interp, cands)
            if py_fail:
                raise RuntimeError(f"the Python interpreter failed: {py_fail}")
            suspects = [i for i in range(len(cands)) if c_fail or c[i] is None or c[i] != py[i]]
        found = False
        for i in suspects:  # confirm alone: a crash in a batch hides what follows it
            if still_fails(cands[i]):
                bodies, main = lang.parse(cands[i])
                best = cands[i]
                found = True
                if log:
                    log(f"minimise: {sum(len(a) for a in bodies.values()) + len(main)} actions left")
                break
        if not found:
            return best


def main():
    crash = sys.argv[1] == "--crash"
    print(minimise(sys.argv[-1], sys.stdin.read(), crash=crash), end="")


if __name__ == "__main__":
    main()

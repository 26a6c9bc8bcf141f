#!/usr/bin/python3
"""Generates random greenlet programs (see lang.py).

    gen.py SEED [COUNT [FIRST]]   prints programs FIRST..FIRST+COUNT-1 of SEED as a batch

Program i of seed S depends only on (S, i), so any one can be regenerated.
Greenlets without run (about one in ten) are parents like any other: in the
initial tree, through set_parent and in new steps, so that switches, throws
and results reach them through dead greenlets (R7).
One rule keeps the two interpreters comparable: a body never drops the handle
of the greenlet that runs it (the program's handles are per greenlet, and each
body belongs to one greenlet).
"""
import random
import sys

import lang

MAX_GREENLETS = 8


def program(seed, index):
    rnd = random.Random(f"{seed}:{index}")
    n = rnd.randint(1, MAX_GREENLETS)
    no_run = {i for i in range(1, n + 1) if rnd.random() < 0.1}
    can_parent = list(range(0, n + 1))
    owners = {}                      # greenlet -> the body list (None: main) where it is created
    actions = {i: [] for i in range(1, n + 1)}
    main = []

    def value():
        return rnd.choice((0, 1, 2, 3, rnd.randint(0, 999)))

    def target():
        return rnd.randint(0, n)

    def on_error():
        return "raise" if rnd.random() < 0.3 else "catch"

    def action(me):
        r = rnd.random()
        if r < 0.40:
            return ("switch", target(), value(), on_error())
        if r < 0.55:
            code = rnd.choice((-1, -1, 1, 2, 3, rnd.randint(1, 99), 0 if rnd.random() < 0.1 else 4))
            return ("throw", target(), code, value(), on_error())
        if r < 0.63:
            return ("kill", target())
        if r < 0.71:
            p = None if rnd.random() < 0.1 else rnd.choice(can_parent)
            return ("set_parent", target(), p)
        if r < 0.78:
            t = rnd.randint(1, n)
            return ("unref", t) if t != me else ("state", t)
        if r < 0.86:
            return ("state", target())
        if r < 0.92:
            return ("parent", target())
        return ("trace", rnd.random() < 0.7)

    for i in range(1, n + 1):
        creators = [None] + [j for j in range(1, n + 1) if j != i and j not in no_run]
        owners[i] = None if rnd.random() < 0.65 else rnd.choice(creators)
    for me in range(1, n + 1):
        if me in no_run:
            continue
        for _ in range(rnd.randint(0, 6)):
            actions[me].append(action(me))
        r = rnd.random()
        if r < 0.6:
            actions[me].append(("return", value()))
        elif r < 0.85:
            actions[me].append(("raise", rnd.choice((-1, 1, 2, 3, rnd.randint(1, 99))), value()))
    for _ in range(rnd.randint(2, 14)):
        main.append(action(0))
    if rnd.random() < 0.6:
        main.insert(0, ("trace", True))
    made_in_main = []
    for i in range(1, n + 1):
        if owners[i] is None:
            # Early and in order, so that later actions and children find it.
            parents = [None, 0] + made_in_main
            new = ("new", i, rnd.choice(parents), None if i in no_run else i)
            main.insert(min(len(main), len(made_in_main) + rnd.choice((0, 0, 1, 2))), new)
            made_in_main.append(i)
        else:
            parent = None if rnd.random() < 0.7 else rnd.choice(can_parent)
            new = ("new", i, parent, None if i in no_run else i)
            where = actions[owners[i]]
            where.insert(rnd.randint(0, min(len(where), rnd.choice((0, 1, 2)))), new)
    bodies = {i: actions[i] for i in range(1, n + 1) if i not in no_run}
    return lang.format_program(bodies, main)


def main():
    seed = int(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    out = []
    for i in range(first, first + count):
        out.append(f"# seed {seed} program {i}\n" + program(seed, i))
    sys.stdout.write("%%\n".join(out))


if __name__ == "__main__":
    main()

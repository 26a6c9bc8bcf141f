#!/usr/bin/python3
"""The differential tester: random greenlet programs run by Python's greenlet
(pyinterp.py) and by libgreenlet (the C interpreter) must print the same
events. On a disagreement it prints the seed, the program, a minimised
program and both outputs, and exits 1.

    difftest.py --interp build/.../greenlet_interp [--seed S] [--count N] [--random N]

--seed/--count: programs 0..N-1 of seed S (default: seed 1, 2000 programs).
--random N: also N programs from a fresh random seed (printed on failure).
"""
import argparse
import difflib
import random
import sys
import time

import gen
import minimise
import runners


MAX_ALONE_CHECKS = 20


def report(interp, seed, index, program, py, c, failure):
    print(f"MISMATCH: seed {seed} program {index} (regenerate: gen.py {seed} 1 {index})")
    if failure:
        print(f"C interpreter: {failure}")
    print("---- program")
    print(program, end="")
    print("---- diff (python -> C)")
    for line in difflib.unified_diff((py or "").split("\n"), (c or "").split("\n"), "python", "c", lineterm="", n=2):
        print(line)
    small = minimise.minimise(interp, program, log=lambda m: print(m, file=sys.stderr))
    found = runners.mismatch(interp, small)
    print("---- minimised program")
    print(small, end="")
    if found:
        py, c, failure = found
        print("---- python says")
        print(py)
        print("---- C says" + (f" ({failure})" if failure else ""))
        print(c or "")
    sys.stdout.flush()


def check(interp, seed, count):
    """Returns the number of programs that disagree (reports the first)."""
    programs = [gen.program(seed, i) for i in range(count)]
    py, py_fail = runners.run_python(programs)
    if py_fail:
        print(f"the Python interpreter failed on seed {seed}: {py_fail}")
        return count
    c, c_fail = runners.run_c(interp, programs)
    bad = [i for i in range(count) if c[i] != py[i]]
    if c_fail:
        print(f"C interpreter on the batch of seed {seed}: {c_fail}")
        bad = bad or [count - 1]  # every output came, but the run failed at its end (a leak report?)
    # Report the first program that also fails on its own (a crash ends a batch:
    # the programs after it have no output at all).
    for i in bad[:MAX_ALONE_CHECKS]:
        alone = runners.mismatch(interp, programs[i])
        if alone is not None:
            report(interp, seed, i, programs[i], *alone)
            return len(bad)
    if bad:
        i = bad[0]
        print(f"seed {seed}: program {i} (and {len(bad) - 1} more) fail only inside the batch")
        print(programs[i])
        print("---- python\n" + (py[i] or "") + "\n---- C\n" + (c[i] or ""))
    return len(bad)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--interp", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--random", type=int, default=0)
    args = ap.parse_args()
    runs = [(args.seed, args.count)] if args.count else []
    if args.random:
        runs.append((random.SystemRandom().randrange(1, 2**31), args.random))
    failed = 0
    for seed, count in runs:
        t0 = time.time()
        bad = check(args.interp, seed, count)
        print(f"difftest: seed {seed}: {count - bad} of {count} programs agree ({time.time() - t0:.1f}s)")
        failed += bad
    print(f"difftest: {sum(c for _, c in runs) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

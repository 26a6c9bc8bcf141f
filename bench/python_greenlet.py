#!/usr/bin/python3
"""python3-greenlet doing what bench_switch does to libgreenlet: a ping-pong
between main and one greenlet (ns per switch, a round trip over two), and a
warm lifecycle (create, switch in, return, drop). Prints the JSON lines of
bench_switch --json, one per measurement, every repetition in run order.

    bench/python_greenlet.py [round_trips [repetitions]]
"""
import json
import sys
import time

import greenlet


def echo(value):
    main = greenlet.getcurrent().parent
    while True:
        value = main.switch(value)


def round_trips(g, n):
    total = 0
    for i in range(n):
        total += g.switch(i)
    return total


def lifecycles(n):
    total = 0
    for i in range(n):
        total += greenlet.greenlet(int).switch(i)  # run returns at once; the last reference goes
    return total


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    g = greenlet.greenlet(echo)
    g.switch(0)
    round_trips(g, n // 10 + 1)  # warm up, as bench_switch does
    lifecycles(n // 40 + 1)
    switch_ns, life_ns = [], []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        round_trips(g, n)
        switch_ns.append((time.perf_counter_ns() - t0) / (2 * n))
        t0 = time.perf_counter_ns()
        lifecycles(n // 4)
        life_ns.append((time.perf_counter_ns() - t0) / (n // 4))
    version = getattr(greenlet, "__version__", "?")
    for kind, values in (("switch", switch_ns), ("lifecycle", life_ns)):
        print(json.dumps({"bench": f"native_{kind}", "contender": f"python3-greenlet {version}",
                          "ns": [round(v, 2) for v in values]}))


if __name__ == "__main__":
    main()

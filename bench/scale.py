#!/usr/bin/python3
"""Scale benchmark: libgreenlet (bench_scale, default and smallest stacks) and
python3-greenlet suspend N greenlets at once, each in a fresh process, with
the contenders interleaved in every repetition. Prints a Markdown table of
medians (min-max), or with --json one JSON line per contender with every run's
fields (bench/run.py).

    bench/scale.py --bench BUILD/bench/bench_scale [--count N] [--reps R] [--json]

The Python side needs Debian's python3-greenlet (/usr/bin/python3).
"""
import argparse
import json
import statistics
import subprocess
import sys

PYTHON_SIDE = r"""
import sys, time, greenlet

def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return -1

n = int(sys.argv[1])
main = greenlet.getcurrent()
def suspend_once():
    main.switch()
warm = greenlet.greenlet(suspend_once); warm.switch(); del warm
all = [None] * n
rss0, pte0 = status_kb("VmRSS:"), status_kb("VmPTE:")
t0 = time.perf_counter()
for i in range(n):
    g = greenlet.greenlet(suspend_once)
    g.switch()
    all[i] = g
create_s = time.perf_counter() - t0
rss1, pte1 = status_kb("VmRSS:"), status_kb("VmPTE:")
t0 = time.perf_counter()
for i in range(n):
    all[i] = None  # the last reference: greenlet throws GreenletExit into it
release_s = time.perf_counter() - t0
rss2 = status_kb("VmRSS:")
print(f"impl=python3-greenlet stack_size=- requested={n} suspended={n} rss_each={(rss1 - rss0) * 1024 / n:.0f} "
      f"pte_each={(pte1 - pte0) * 1024 / n:.0f} maps=0 fault_ns=0 cold_ns={create_s * 1e9 / n:.0f} "
      f"release_ns={release_s * 1e9 / n:.0f} revisit_ns=0 unmap_ns=0 rss_after_kb={rss2 - rss0} create_s={create_s:.2f} error=")
"""


def parse(line):
    out = {}
    head, _, error = line.partition(" error=")
    for field in head.split():
        key, _, value = field.partition("=")
        out[key] = value
    out["error"] = error.strip()
    return out


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = [l for l in p.stdout.splitlines() if l.startswith("impl=")]
    if not lines:
        sys.exit(f"no result from {' '.join(cmd)}: {p.stderr.strip()}")
    return parse(lines[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--count", type=int, default=1000000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    contenders = [
        ("libgreenlet, default stack (256 KiB)", [args.bench, str(args.count)]),
        ("libgreenlet, smallest stack (16 KiB)", [args.bench, str(args.count), "min"]),
        ("python3-greenlet", ["/usr/bin/python3", "-c", PYTHON_SIDE, str(args.count)]),
    ]
    results = {name: [] for name, _ in contenders}
    for rep in range(args.reps):
        for name, cmd in contenders:
            r = run(cmd)
            results[name].append(r)
            print(f"rep {rep + 1}/{args.reps} {name}: {r}", file=sys.stderr, flush=True)
    if args.json:
        for name, _ in contenders:
            print(json.dumps({"bench": "scale", "contender": name, "count": args.count, "runs": results[name]}))
        return

    def cell(rs, key, scale=1.0, fmt="{:.0f}"):
        values = [float(r[key]) * scale for r in rs]
        med = statistics.median(values)
        return f"{fmt.format(med)} ({fmt.format(min(values))}-{fmt.format(max(values))})"

    print(f"{args.count:,} greenlets suspended at once, {args.reps} interleaved repetitions, median (min-max):\n")
    print("| contender | suspended | resident B each | page tables B each | cold create+switch ns | "
          "first touch of a page ns | cold ÷ touch | release ns each | revisit ns | unmap ns | "
          "resident after release KiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, _ in contenders:
        rs = results[name]
        suspended = min(int(r["suspended"]) for r in rs)
        native = rs[0]["impl"] == "libgreenlet"
        ratio = touch = revisit = unmap = "-"
        if native:
            ratios = sorted(float(r["cold_ns"]) / float(r["fault_ns"]) for r in rs)
            ratio = f"{statistics.median(ratios):.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f})"
            touch = cell(rs, "fault_ns")
            revisit, unmap = cell(rs, "revisit_ns"), cell(rs, "unmap_ns")
        print(f"| {name} | {suspended:,} | {cell(rs, 'rss_each')} | {cell(rs, 'pte_each')} | {cell(rs, 'cold_ns')} | "
              f"{touch} | {ratio} | {cell(rs, 'release_ns')} | {revisit} | {unmap} | {cell(rs, 'rss_after_kb')} |")
        errors = {r["error"] for r in rs if r["error"]}
        for e in errors:
            print(f"\n{name} stopped early: {e}")


if __name__ == "__main__":
    main()

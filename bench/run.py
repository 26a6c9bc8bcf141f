#!/usr/bin/python3
"""Runs every benchmark of `npm run bench` and writes their results, one JSON
object a line, to OUT (then bench/report.py turns them into
docs/benchmarks.md and the plots). Progress goes to stderr.

    bench/run.py --native BUILD --wasm BUILD [--out FILE] [--quick]

--native: a Release build tree of this project (bench/bench_switch,
bench/bench_scale, the echo benchmark's programs: bench/echo.py); --wasm: where bench/wasm/run.sh builds the depth benchmark.
--quick: fewer repetitions and a smaller scale run, to check the pipeline.

Contenders that run in one process are interleaved there; programs that must
run apart (Python, Node, Chromium, one module per build) are interleaved by
alternating processes, one repetition each, so that all of them see the
machine in the same moods.
"""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def json_lines(cmd, timeout, env=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout,
                       env=env)
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    out = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
    if not out:
        sys.exit(f"bench: no results from {' '.join(cmd)}:\n{p.stderr[-2000:]}")
    return out


def merge(results, lines, extra=None):
    """Appends each line's repetitions to the entry of the same identity."""
    for line in lines:
        if extra:
            line.update(extra)
        values = {k: v for k, v in line.items() if isinstance(v, list)}
        key = json.dumps({k: v for k, v in line.items() if k not in values}, sort_keys=True)
        entry = results.setdefault(key, dict(line, **{k: [] for k in values}))
        for k, v in values.items():
            entry[k].extend(v)


def interleaved(name, programs, reps, results):
    """programs: [(label, argv, timeout, extra fields)]; one repetition each, in turn."""
    for r in range(reps):
        for label, argv, timeout, extra in programs:
            t0 = time.time()
            merge(results, json_lines(argv, timeout), extra)
            log(f"{name}: repetition {r + 1}/{reps}, {label} ({time.time() - t0:.1f} s)")


def command_output(argv):
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    first_line = lambda s: s.splitlines()[0] if s else "?"
    greenlet_version = command_output(["/usr/bin/python3", "-c", "import greenlet; print(greenlet.__version__)"])
    return {
        "bench": "machine",
        "date": time.strftime("%Y-%m-%d"),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kb / 2**20, 1),
        "kernel": platform.release(),
        "load_average": os.getloadavg()[0],
        "gcc": first_line(command_output(["gcc", "--version"])),
        "emcc": first_line(command_output(["emcc", "--version"])),
        "node": command_output(["node", "--version"]),
        # (Debian's /usr/bin/chromium wrapper prints a shell warning first.)
        "chromium": first_line(command_output(["/usr/lib/chromium/chromium", "--version"])),
        "python_greenlet": greenlet_version,
        "boost": re.sub(r".*\.so\.", "", os.path.realpath("/usr/lib/x86_64-linux-gnu/libboost_context.so")),
    }


# bench_switch's loops, and what one call of each does: (name, kind).
CALLGRIND_LOOPS = {
    "greenlet_round_trips": ("libgreenlet", "switch"),
    "greenlet_ring_round_trips": ("libgreenlet, ring of three", "switch"),
    "fcontext_returning_round_trips": ("boost fcontext, returning", "switch"),
    "fcontext_round_trips": ("boost fcontext, bare loop", "switch"),
    "greenlet_lifecycles": ("libgreenlet", "lifecycle"),
}


def instructions(bench_switch, round_trips=20000):
    """Instructions per switch (both sides of a round trip, over two) and per
    lifecycle, counted by callgrind over each contender's loop, inclusive."""
    out = os.path.join(ROOT, "build", "bench", "callgrind.out")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", bench_switch,
                    str(round_trips), "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True, timeout=600)
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", out], stdout=subprocess.PIPE, text=True,
                          check=True).stdout
    # bench_switch runs each loop once to warm up (n / 10 + 1) and once per repetition (lifecycles: n / 4).
    calls = {"switch": round_trips // 10 + 1 + round_trips, "lifecycle": round_trips // 10 + 1 + round_trips // 4}
    per_switch, lifecycle = {}, None
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+\S*:(\w+) ", line)
        if not m or m.group(2) not in CALLGRIND_LOOPS:
            continue
        name, kind = CALLGRIND_LOOPS[m.group(2)]
        count = int(m.group(1).replace(",", "")) / calls[kind]
        if kind == "switch":
            per_switch[name] = round(count / 2, 1)
        else:
            lifecycle = round(count, 1)
    return {"bench": "native_instructions", "per_switch": per_switch, "lifecycle": lifecycle}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--native", required=True)
    ap.add_argument("--wasm", required=True)
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "results.jsonl"))
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    reps = 3 if args.quick else 11
    results = {}
    started = time.time()

    bench_switch = os.path.join(args.native, "bench", "bench_switch")
    bench_scale = os.path.join(args.native, "bench", "bench_scale")
    trips = "200000" if args.quick else "2000000"
    log(f"native switch and lifecycle: libgreenlet, Boost fcontext, swapcontext, python3-greenlet ({reps} repetitions)")
    interleaved("native", [
        ("bench_switch", [bench_switch, "--json", trips, "1"], 600, None),
        ("python3-greenlet", ["/usr/bin/python3", os.path.join(HERE, "python_greenlet.py"),
                              str(int(trips) // 10), "1"], 600, None),
    ], reps, results)

    log(f"WebAssembly switch against call depth, Node and Chromium ({reps} repetitions)")
    merge(results, json_lines(["bash", os.path.join(HERE, "wasm", "run.sh"), "--chromium", args.wasm, str(reps)],
                              1800))

    log(f"Asyncify tax: fib, qsort and snprintf in four builds ({reps} repetitions, a few minutes)")
    merge(results, json_lines(["bash", os.path.join(HERE, "wasm", "tax.sh"), os.path.join(ROOT, "build", "wasm-tax")],
                              3600, env=dict(os.environ, GREENLET_TAX_REPS=str(reps))))

    log("instruction counts (callgrind)")
    merge(results, [instructions(bench_switch)])

    count = "100000" if args.quick else "1000000"
    scale_reps = "1" if args.quick else "3"
    log(f"scale: {count} suspended greenlets, {scale_reps} interleaved repetitions (a few minutes)")
    merge(results, json_lines(["/usr/bin/python3", os.path.join(HERE, "scale.py"), "--bench", bench_scale,
                               "--count", count, "--reps", scale_reps, "--json"], 3600))

    connections = "2000" if args.quick else "10000"
    echo_reps = "1" if args.quick else "5"
    log(f"echo: {connections} connections, hub against libuv callbacks, {echo_reps} interleaved repetitions")
    merge(results, json_lines(["/usr/bin/python3", os.path.join(HERE, "echo.py"), "--build", args.native,
                               "--connections", connections, "--seconds", "2" if args.quick else "5",
                               "--reps", echo_reps, "--json"], 3600))

    lines = [machine()] + list(results.values())
    lines[0]["seconds"] = round(time.time() - started)
    lines[0]["quick"] = args.quick
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
    log(f"results in {args.out} ({lines[0]['seconds']} s)")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Echo benchmark: the hub's echo server (examples/hub/echo_server.c, one
greenlet per connection, blocking style) against the same server written with
libuv's callbacks (bench/echo_callbacks.c), each in its own process under the
same load (bench/echo_load.c: CONNECTIONS connections echoing 64-byte
messages for SECONDS), the two servers alternating in every repetition.
Messages per second are counted by the load; resident memory per connection
is the server's VmRSS with every connection open, minus before, over the count.

    bench/echo.py --build BUILD [--connections N] [--seconds S] [--reps R] [--json]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys


def run_once(server_argv, load, connections, seconds):
    server = subprocess.Popen(server_argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", server.stdout.readline())
        if not m:
            sys.exit(f"echo: {server_argv[0]} did not start")
        out = subprocess.run([load, m.group(1), str(connections), str(seconds), str(server.pid)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
        if out.returncode != 0:
            sys.exit(f"echo: the load failed against {server_argv[0]}:\n{out.stdout}{out.stderr[-2000:]}")
        return {k: float(v) for k, v in re.findall(r"(\w+)=([-\d.]+)", out.stdout)}
    finally:
        server.kill()
        server.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--connections", type=int, default=10000)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    servers = [
        ("hub (greenlets)", [os.path.join(args.build, "examples", "hub", "hub_echo_server"), "0"]),
        ("libuv callbacks", [os.path.join(args.build, "bench", "bench_echo_callbacks")]),
    ]
    load = os.path.join(args.build, "bench", "bench_echo_load")
    runs = {name: [] for name, _ in servers}
    for rep in range(args.reps):
        for name, argv in servers:
            r = run_once(argv, load, args.connections, args.seconds)
            runs[name].append(r)
            print(f"[echo] repetition {rep + 1}/{args.reps}, {name}: {r['msgs_per_s']:.0f} msgs/s, "
                  f"{r['rss_per_conn']:.0f} B per connection", file=sys.stderr, flush=True)
    for name, rs in runs.items():
        line = {"bench": "echo", "contender": name, "connections": args.connections, "seconds": args.seconds,
                "msgs_per_s": [r["msgs_per_s"] for r in rs], "rss_per_conn": [r["rss_per_conn"] for r in rs]}
        if args.json:
            print(json.dumps(line))
        else:
            print(f"{name}: {statistics.median(line['msgs_per_s']):.0f} msgs/s, "
                  f"{statistics.median(line['rss_per_conn']):.0f} B per connection (medians of {args.reps})")


if __name__ == "__main__":
    main()

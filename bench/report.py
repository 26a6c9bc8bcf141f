#!/usr/bin/python3
"""Turns the results of bench/run.py into docs/benchmarks.md and the SVG
plots beside it. Every figure on the page comes from the results file; the
prose says only how things are measured and what the figures mean.

    bench/report.py [RESULTS [DOCS_DIR]]
"""
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def load(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def med(values):
    return statistics.median(values)


def spread(values, fmt="{:.1f}"):
    return f"{fmt.format(med(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def find(results, **match):
    return [r for r in results if all(r.get(k) == v for k, v in match.items())]


def one(results, **match):
    found = find(results, **match)
    return found[0] if found else None


def met(ok):
    return "**met**" if ok else "**missed**"


# ---- SVG ---------------------------------------------------------------------

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"]


def esc(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def nice_max(v):
    for step in (1, 2, 2.5, 5):
        for p in range(-1, 8):
            top = step * 10**p
            if top >= v:
                return top
    return v


def line_chart(path, title, xlabel, ylabel, series):
    """series: [(name, [(x, y), ...])]. Linear axes from 0."""
    w, h, left, right, top, bottom = 640, 380, 64, 190, 36, 48
    xs = [x for _, pts in series for x, _ in pts]
    ys = [y for _, pts in series for _, y in pts]
    xmax, ymax = max(xs) or 1, nice_max(max(ys))
    sx = lambda x: left + (w - left - right) * x / xmax
    sy = lambda y: h - bottom - (h - top - bottom) * y / ymax
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="20" text-anchor="middle" font-size="14">{esc(title)}</text>']
    for i in range(6):
        y = ymax * i / 5
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{sy(y):.1f}" y2="{sy(y):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{sy(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
    for x in sorted(set(xs)):
        out.append(f'<text x="{sx(x):.1f}" y="{h - bottom + 16}" text-anchor="middle">{x:g}</text>')
    out.append(f'<line x1="{left}" x2="{w - right}" y1="{h - bottom}" y2="{h - bottom}" stroke="black"/>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{h - bottom}" stroke="black"/>')
    out.append(f'<text x="{(left + w - right) / 2}" y="{h - 10}" text-anchor="middle">{esc(xlabel)}</text>')
    out.append(f'<text x="16" y="{(top + h - bottom) / 2}" text-anchor="middle" '
               f'transform="rotate(-90 16 {(top + h - bottom) / 2})">{esc(ylabel)}</text>')
    for i, (name, pts) in enumerate(series):
        c = COLOURS[i % len(COLOURS)]
        dash = ' stroke-dasharray="6 4"' if "fiber" in name or "fcontext" in name else ""
        d = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in sorted(pts))
        out.append(f'<polyline points="{d}" fill="none" stroke="{c}" stroke-width="2"{dash}/>')
        for x, y in pts:
            out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{c}"/>')
        ly = top + 18 * i + 8
        out.append(f'<line x1="{w - right + 12}" x2="{w - right + 36}" y1="{ly}" y2="{ly}" stroke="{c}" '
                   f'stroke-width="2"{dash}/>')
        out.append(f'<text x="{w - right + 42}" y="{ly + 4}">{esc(name)}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def bar_chart(path, title, unit, bars, log_scale=False):
    """bars: [(label, median, low, high)]: horizontal bars with min-max whiskers."""
    import math
    w, row, left, right, top = 640, 30, 230, 70, 36
    h = top + row * len(bars) + 24
    vmax = max(b[3] for b in bars)
    if log_scale:
        lo = 10 ** math.floor(math.log10(min(b[1] for b in bars)))
        hi = 10 ** math.ceil(math.log10(vmax))
        sx = lambda v: left + (w - left - right) * (math.log10(max(v, lo)) - math.log10(lo)) / (
            math.log10(hi) - math.log10(lo))
    else:
        hi = nice_max(vmax)
        sx = lambda v: left + (w - left - right) * v / hi
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="20" text-anchor="middle" font-size="14">{esc(title)}</text>']
    for i, (label, m, low, high) in enumerate(bars):
        y = top + row * i
        c = COLOURS[0] if label.startswith("libgreenlet") else "#999"
        out.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{esc(label)}</text>')
        out.append(f'<rect x="{left}" y="{y + 4}" width="{max(sx(m) - left, 1):.1f}" height="16" fill="{c}"/>')
        out.append(f'<line x1="{sx(low):.1f}" x2="{sx(high):.1f}" y1="{y + 12}" y2="{y + 12}" stroke="black"/>')
        out.append(f'<text x="{max(sx(high), sx(m)) + 6:.1f}" y="{y + 16}">{m:,.1f} {esc(unit)}</text>')
    scale = "log scale, " if log_scale else ""
    out.append(f'<text x="{left}" y="{h - 6}" fill="#555">{scale}median, whiskers: min-max</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


# ---- Page ---------------------------------------------------------------------

def native_section(results, docs, targets):
    lines = []
    switch = find(results, bench="native_switch")
    life = find(results, bench="native_lifecycle")
    if not switch:
        return lines
    ours = med(one(results, bench="native_switch", contender="libgreenlet")["ns"])
    lines += ["## Native switch", "",
              "A ping-pong between the main context and one coroutine: ns per switch = round trip / 2. "
              "`bench/switch.c` runs the C contenders interleaved in one process; `bench/python_greenlet.py` "
              "does the same with python3-greenlet in a process of its own, alternating with it.", "",
              "| contender | ns per switch, median (min-max) | libgreenlet ÷ it |", "|---|---|---|"]
    for r in switch:
        lines.append(f"| {r['contender']} | {spread(r['ns'])} | {ours / med(r['ns']):.2f} |")
    lines.append("")
    bar_chart(os.path.join(docs, "bench-native-switch.svg"), "Native switch, ns (lower is better)", "ns",
              [(r["contender"], med(r["ns"]), min(r["ns"]), max(r["ns"])) for r in switch], log_scale=True)
    lines += ["![native switch](bench-native-switch.svg)", ""]
    fc = one(results, bench="native_switch", contender="boost fcontext, returning")
    if fc:
        ratio = ours / med(fc["ns"])
        targets.append(("native switch at most 1.1x Boost fcontext through a returning function",
                        f"{ratio:.2f}x ({ours:.1f} against {med(fc['ns']):.1f} ns)", ratio <= 1.1))
    cg = one(results, bench="native_instructions")
    if cg:
        lines += ["Instructions per switch (`valgrind --tool=callgrind`, both sides of the round trip, "
                  "this VM has no hardware counters):", "",
                  "| contender | instructions per switch |", "|---|---|"]
        for name, count in cg["per_switch"].items():
            lines.append(f"| {name} | {count:.0f} |")
        lines.append("")
    if life:
        lines += ["## Lifecycle", "",
                  "Warm: `greenlet_new`, the first switch in, `run` returns at once, `greenlet_unref`, with the "
                  "stack pool and the `greenlet_t` cache warm (the same for python3-greenlet: create, switch, "
                  "return, drop). Cold (a fresh stack and heap) is in the scale table below.", "",
                  "| contender | ns per lifecycle, median (min-max) |", "|---|---|"]
        for r in life:
            lines.append(f"| {r['contender']} | {spread(r['ns'])} |")
        lines.append("")
        bar_chart(os.path.join(docs, "bench-lifecycle.svg"), "Warm lifecycle, ns (lower is better)", "ns",
                  [(r["contender"], med(r["ns"]), min(r["ns"]), max(r["ns"])) for r in life])
        lines += ["![lifecycle](bench-lifecycle.svg)", ""]
        ours_life = one(results, bench="native_lifecycle", contender="libgreenlet")
        if ours_life:
            m = med(ours_life["ns"])
            targets.append(("warm lifecycle at most 100 ns", f"{m:.1f} ns", m <= 100))
        if cg and "lifecycle" in cg:
            lines += [f"Instructions per warm lifecycle (callgrind): {cg['lifecycle']:.0f}.", ""]
    return lines


def scale_section(results, docs, targets):
    rows = find(results, bench="scale")
    if not rows:
        return []
    count = rows[0]["count"]
    lines = ["## Scale", "",
             f"{count:,} greenlets suspended at once, each contender in a fresh process, interleaved "
             f"(`bench/scale.c`, `bench/scale.py`; {len(rows[0]['runs'])} repetitions). Resident memory is VmRSS, "
             "page tables VmPTE, before and after the burst. The first touch of a fresh page (one byte per 256 KiB "
             "of a `MAP_NORESERVE` region, sampled between the creations) is the floor of a cold start: a new "
             "greenlet touches its stack's top page. Release is dropping the last reference to a suspended "
             "greenlet: it is killed (R15) and its stack goes back. Two floors of the release are measured in the same "
             "process: the revisit, reading one byte of a suspended greenlet's stack (one in 16, just before the "
             "release; the kill must run on that stack), and the kernel's unmap of a region laid out as the stacks "
             "are, with one touched page per slot, per page.", "",
             "| contender | suspended | resident B each | page tables B each | cold create + first switch, ns | "
             "first touch of a page, ns | cold ÷ touch | release, ns each | revisit of a stack, ns | "
             "kernel's unmap per stack, ns | resident after release, KiB |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        runs = r["runs"]
        val = lambda k: [float(x[k]) for x in runs]
        native = runs[0]["impl"] == "libgreenlet"
        ratio = [float(x["cold_ns"]) / float(x["fault_ns"]) for x in runs] if native else None
        suspended = min(int(x["suspended"]) for x in runs)
        lines.append(f"| {r['contender']} | {suspended:,} | {spread(val('rss_each'), '{:,.0f}')} | "
                     f"{spread(val('pte_each'), '{:,.0f}')} | {spread(val('cold_ns'), '{:,.0f}')} | "
                     f"{spread(val('fault_ns'), '{:,.0f}') if native else '-'} | "
                     f"{spread(ratio, '{:.2f}') if native else '-'} | {spread(val('release_ns'), '{:,.0f}')} | "
                     f"{spread(val('revisit_ns'), '{:,.0f}') if native else '-'} | "
                     f"{spread(val('unmap_ns'), '{:,.0f}') if native else '-'} | "
                     f"{spread(val('rss_after_kb'), '{:,.0f}')} |")
        if r["contender"].startswith("libgreenlet, default"):
            rss, rel, after = med(val("rss_each")), med(val("release_ns")), med(val("rss_after_kb"))
            targets.append(("at least 1,000,000 suspended greenlets at the default stack size",
                            f"{suspended:,}" + ("" if count >= 1000000 else f" (only {count:,} tried)"),
                            suspended >= 1000000))
            targets.append(("at most 4.5 KB resident per suspended greenlet", f"{rss:,.0f} B", rss <= 4500))
            targets.append(("cold create + first switch at most 1.25x the first touch of a page",
                            f"{med(ratio):.2f}x", med(ratio) <= 1.25))
            floors = f" (floors: revisit {med(val('revisit_ns')) / 1000:.1f} µs, unmap {med(val('unmap_ns')) / 1000:.1f} µs)"
            targets.append(("release at most 2 µs, default stack", f"{rel / 1000:.1f} µs" + floors, rel <= 2000))
            targets.append(("back within a few MB after the burst", f"{after / 1024:.1f} MiB", after <= 4096))
        if r["contender"].startswith("libgreenlet, smallest"):
            rel = med(val("release_ns"))
            targets.append(("release at most 2 µs, smallest stack", f"{rel / 1000:.1f} µs", rel <= 2000))
        errors = {x["error"] for x in runs if x["error"]}
        for e in errors:
            lines.append(f"\n{r['contender']} stopped early: {e}")
    lines.append("")
    bars = []
    for r in rows:
        v = [float(x["cold_ns"]) for x in r["runs"]]
        bars.append((f"{r['contender']}: cold", med(v), min(v), max(v)))
        v = [float(x["release_ns"]) for x in r["runs"]]
        bars.append((f"{r['contender']}: release", med(v), min(v), max(v)))
    bar_chart(os.path.join(docs, "bench-scale.svg"), f"Scale: ns per greenlet at {count:,} suspended", "ns",
              [(label.replace(", default stack (256 KiB)", " 256K").replace(", smallest stack (16 KiB)", " 16K"),
                m, lo, hi) for label, m, lo, hi in bars])
    lines += ["![scale](bench-scale.svg)", ""]
    return lines


def wasm_section(results, docs, targets):
    rows = find(results, bench="wasm_switch")
    if not rows:
        return []
    lines = ["## WebAssembly switch cost against call depth", "",
             "The switch happens with *depth* extra C frames on the greenlet's stack: Asyncify unwinds and rewinds "
             "every frame. `emscripten_fiber_swap` is built into the same module (`bench/wasm/switch_depth.c`, "
             "emcc -O2) and measured in the same run, interleaved, in Node and in Chromium.", ""]
    for runtime in sorted({r["runtime"] for r in rows}):
        sub = [r for r in rows if r["runtime"] == runtime]
        depths = sorted({r["depth"] for r in sub})
        lines += [f"**{runtime}**, ns per switch, median (min-max):", "",
                  "| depth | libgreenlet | emscripten_fiber_swap | fiber ÷ libgreenlet |", "|---|---|---|---|"]
        ahead = True
        for d in depths:
            g = one(sub, contender="libgreenlet", depth=d)
            f = one(sub, contender="emscripten_fiber_swap", depth=d)
            if not g or not f:
                continue
            ratio = med(f["ns"]) / med(g["ns"])
            ahead = ahead and ratio > 1
            lines.append(f"| {d} | {spread(g['ns'])} | {spread(f['ns'])} | {ratio:.2f} |")
            if d == 0 and runtime == "node":
                targets.append(("wasm depth 0: at least 4x faster than emscripten_fiber_swap in Node",
                                f"{ratio:.2f}x", ratio >= 4))
        targets.append((f"wasm ahead of emscripten_fiber_swap at every depth in {runtime}",
                        "yes" if ahead else "no", ahead))
        lines.append("")
        series = []
        for contender in ("libgreenlet", "emscripten_fiber_swap"):
            pts = [(r["depth"], med(r["ns"])) for r in sub if r["contender"] == contender]
            series.append((contender, pts))
        svg = f"bench-wasm-{runtime}.svg"
        line_chart(os.path.join(docs, svg), f"WebAssembly switch cost, {runtime}", "call depth (frames)",
                   "ns per switch", series)
        lines += [f"![wasm switch, {runtime}]({svg})", ""]
    return lines


def tax_section(results, docs, targets):
    rows = find(results, bench="asyncify_tax")
    if not rows:
        return []
    lines = ["## The Asyncify tax", "",
             "Code that never switches, in a module built for libgreenlet: each kernel in separate builds, one "
             "process per repetition, alternating (`bench/wasm/asyncify_tax.c`, emcc -O2, Node). `plain` has no "
             "Asyncify; `libgreenlet` uses `libgreenlet-config --libs`; `+remove` adds "
             "`libgreenlet-config --asyncify-remove`; `+user` also lists the kernel's own functions "
             "(docs/wasm.md).", "",
             "| kernel | build | ms, median (min-max) | ÷ plain | .wasm bytes |", "|---|---|---|---|---|"]
    for kernel in sorted({r["kernel"] for r in rows}):
        plain = one(rows, kernel=kernel, build="plain")
        for r in [x for x in rows if x["kernel"] == kernel]:
            ratio = med(r["ms"]) / med(plain["ms"]) if plain else float("nan")
            lines.append(f"| {kernel} | {r['build']} | {spread(r['ms'], '{:.2f}')} | {ratio:.2f} | "
                         f"{r.get('wasm_bytes', 0):,} |")
    lines.append("")
    return lines


def echo_section(results, docs, targets):
    rows = find(results, bench="echo")
    if not rows:
        return []
    base = one(results, bench="echo", contender="libuv callbacks")
    n = rows[0]["connections"]
    lines = ["## Echo server at scale: greenlets on libuv against libuv's callbacks", "",
             f"{n:,} connections open at once on 127.0.0.1, each echoing 64-byte messages back and forth for "
             f"{rows[0]['seconds']} s (`bench/echo.py`; {len(rows[0]['msgs_per_s'])} repetitions, the two servers "
             "alternating). The hub's server is `examples/hub/echo_server.c` (one greenlet per connection, blocking "
             "style); the other is the same server written with callbacks (`bench/echo_callbacks.c`). Both run "
             "in a process of their own, under the same load program. Memory per connection is the server's VmRSS "
             "with every connection open, minus its VmRSS before, over the count: for the hub it is mostly the "
             "touched pages of each greenlet's stack.", "",
             "| server | messages/s | ratio | resident bytes per connection | ratio |", "|---|---|---|---|---|"]
    for r in rows:
        ratio = med(r["msgs_per_s"]) / med(base["msgs_per_s"]) if base else None
        mem = med(r["rss_per_conn"]) / med(base["rss_per_conn"]) if base and med(base["rss_per_conn"]) > 0 else None
        lines.append(f"| {r['contender']} | {spread(r['msgs_per_s'], '{:.0f}')} | "
                     f"{'-' if ratio is None else f'{ratio:.2f}'} | {spread(r['rss_per_conn'], '{:.0f}')} | "
                     f"{'-' if mem is None else f'{mem:.1f}'} |")
    lines.append("")
    return lines


def main():
    results_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "bench", "results.jsonl")
    docs = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs")
    results = load(results_path)
    m = one(results, bench="machine")
    targets = []
    body = []
    body += native_section(results, docs, targets)
    body += wasm_section(results, docs, targets)
    body += tax_section(results, docs, targets)
    body += scale_section(results, docs, targets)
    body += echo_section(results, docs, targets)
    targets.append(("native switch at most minicoro's cost",
                    "not measured: minicoro is in neither Debian nor the npm registry", None))
    quick = " (a --quick run: fewer repetitions, smaller scale)" if m.get("quick") else ""
    head = ["# Benchmarks", "",
            "Generated by `npm run bench` (`scripts/bench.sh`: builds, then `bench/run.py` runs everything and "
            "`bench/report.py` writes this page and its plots). Every contender is measured in the same run, "
            "interleaved, so that a shared machine's noise moves them together; figures are medians with the "
            "min-max over the repetitions. Timings are never test assertions.", "",
            f"**{m['date']}**{quick}: {m['cpu']}, {m['cpus']} CPUs, {m['memory_gib']} GiB, Linux {m['kernel']}, "
            f"load average {m['load_average']:.2f} at the start; {m['gcc']}; {m['emcc']}; Node {m['node']}; "
            f"{m['chromium']}; python3-greenlet {m['python_greenlet']}; Boost.Context {m['boost']}. "
            f"The whole run took {m['seconds'] // 60} min {m['seconds'] % 60} s.", "",
            "## Targets", "", "| target | measured | |", "|---|---|---|"]
    for name, value, ok in targets:
        head.append(f"| {name} | {value} | {'-' if ok is None else met(ok)} |")
    notes_path = os.path.join(HERE, "notes.md")
    notes = []
    if os.path.exists(notes_path):
        with open(notes_path) as f:
            notes = [f.read().rstrip(), ""]
    with open(os.path.join(docs, "benchmarks.md"), "w") as f:
        f.write("\n".join(head + [""] + body + notes).rstrip() + "\n")
    print(f"report: {os.path.join(docs, 'benchmarks.md')}", file=sys.stderr)


if __name__ == "__main__":
    main()

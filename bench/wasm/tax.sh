#!/usr/bin/env bash
# The Asyncify tax on code that never switches (bench/wasm/asyncify_tax.c):
# fib through a function pointer, qsort with a comparator and an snprintf
# loop, each built with emcc -O2 in up to four ways:
#   plain                    no libgreenlet, no Asyncify
#   libgreenlet              the npm package's flags (libgreenlet-config --cflags --libs)
#   libgreenlet+remove       ... --asyncify-remove (libc's printf engine left alone)
#   libgreenlet+remove+user  ... --asyncify-remove=fib,kernel_fib,sift,trinkle: what
#                            the program itself declares never switches (its fib;
#                            qsort's internals, since no comparator of it switches)
# Every build is its own module, so each repetition runs one Node process per
# (kernel, build), interleaved, in alternating order; each process runs its
# kernel once untimed, then once timed. Medians of $GREENLET_TAX_REPS (11).
#
#   bash bench/wasm/tax.sh [OUTDIR]     (default build/wasm-tax)
#
# stdout: one JSON line per (kernel, build):
#   {"bench":"asyncify_tax","kernel":"fib","build":"plain","ms":[...],"wasm_bytes":N}
# stderr: progress and a summary table (medians, min-max, ratio to plain).
set -eu
cd "$(dirname "$0")/../.."
out=${1:-build/wasm-tax}
reps=${GREENLET_TAX_REPS:-11}
. scripts/lib.sh # NODE_PATH for emcc
mkdir -p "$out"
node js/build-lib.mjs >&2 # js/prebuilt/, which libgreenlet-config describes
config=(node js/bin/libgreenlet-config.mjs)
src=bench/wasm/asyncify_tax.c
cc=(emcc -O2 -Wall -Wextra -Werror)
echo "== building $src (emcc $(emcc --version | grep -o '[0-9]*\.[0-9]*\.[0-9]*' | head -1))" >&2
"${cc[@]}" "$src" -o "$out/plain.js"
# shellcheck disable=SC2046 # the flags are words, as in a Makefile
"${cc[@]}" -DTAX_WITH_GREENLET "$src" $("${config[@]}" --cflags --libs) -o "$out/libgreenlet.js"
# shellcheck disable=SC2046
"${cc[@]}" -DTAX_WITH_GREENLET "$src" $("${config[@]}" --cflags --libs --asyncify-remove) -o "$out/remove.js"
# shellcheck disable=SC2046
"${cc[@]}" -DTAX_WITH_GREENLET "$src" \
  $("${config[@]}" --cflags --libs --asyncify-remove=fib,kernel_fib,sift,trinkle) -o "$out/remove-user.js"

echo "== $reps interleaved repetitions, Node $(node --version)" >&2
node - "$out" "$reps" <<'JS'
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const [out, reps] = [process.argv[2], Number(process.argv[3])];
const builds = {
  plain: 'plain', libgreenlet: 'libgreenlet', 'libgreenlet+remove': 'remove', 'libgreenlet+remove+user': 'remove-user',
};
const plan = [
  ['fib', Object.keys(builds)],
  ['qsort', Object.keys(builds)],
  ['snprintf', ['plain', 'libgreenlet', 'libgreenlet+remove']], // nothing of the program's own to remove
];
const runs = plan.flatMap(([kernel, names]) => names.map((build) => ({ kernel, build, ms: [], sum: null })));
for (let rep = 0; rep < reps; rep++) {
  const order = rep % 2 ? [...runs].reverse() : runs;
  for (const r of order) {
    const js = path.join(out, `${builds[r.build]}.js`);
    const p = spawnSync(process.execPath, ['--no-experimental-fetch', js, r.kernel], { encoding: 'utf8' });
    const m = p.status === 0 && p.stdout.match(/^(\S+) ([\d.]+) (\d+)$/m);
    if (!m) throw new Error(`${js} ${r.kernel}: exit ${p.status}\n${p.stdout}${p.stderr}`);
    if (r.sum !== null && r.sum !== m[3]) throw new Error(`${js} ${r.kernel}: checksum changed`);
    if (runs.some((o) => o.kernel === r.kernel && o.sum !== null && o.sum !== m[3])) {
      throw new Error(`${r.kernel}: builds disagree on the checksum`);
    }
    r.sum = m[3];
    r.ms.push(Number(m[2]));
  }
  process.stderr.write(`  repetition ${rep + 1}/${reps} done\n`);
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const lines = [];
for (const r of runs) {
  const bytes = fs.statSync(path.join(out, `${builds[r.build]}.wasm`)).size;
  console.log(JSON.stringify({ bench: 'asyncify_tax', kernel: r.kernel, build: r.build, ms: r.ms, wasm_bytes: bytes }));
  const plain = runs.find((o) => o.kernel === r.kernel && o.build === 'plain');
  const plainBytes = fs.statSync(path.join(out, 'plain.wasm')).size;
  lines.push([r.kernel, r.build, median(r.ms).toFixed(1), `${Math.min(...r.ms).toFixed(1)}-${Math.max(...r.ms).toFixed(1)}`,
    (median(r.ms) / median(plain.ms)).toFixed(2), String(bytes), (bytes / plainBytes).toFixed(2)]);
}
const head = ['kernel', 'build', 'median ms', 'min-max', 'x plain', 'wasm bytes', 'x plain'];
const width = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
for (const l of [head, ...lines]) process.stderr.write(l.map((c, i) => c.padEnd(width[i])).join('  ') + '\n');
JS

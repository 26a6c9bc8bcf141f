#!/usr/bin/env node
// Builds the in-browser demo into build/web-demo/ (or --out DIR): four
// WebAssembly modules compiled by emcc against the npm package's prebuilt
// library, with the package's own flags (js/config.mjs, from
// js/prebuilt/flags.json, which js/build-lib.mjs writes), plus the page, the
// package's JS helper, and the C sources and expected outputs the page shows.
// The result is static files: serve them with web-demo/serve.mjs.
//
//   demo      demo.c: the generator and same-fringe walkers
//   gui       gui.c: the drawing tool and the balls on a <canvas>
//   programs  examples/*.c and throw_kill.c, mains renamed, run by programs.c
//   bench     bench.c: bench/wasm/switch_depth.c's measurements, per point
//
//   node web-demo/build.mjs [--out DIR] [--no-lib]
//   --no-lib: use js/prebuilt/ as it is instead of bringing it up to date.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildLib, emccEnv, repoRoot } from '../js/build-lib.mjs';
import { greenletConfig } from '../js/config.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const defaultOutDir = path.join(repoRoot, 'build', 'web-demo');

/** The example programs the page runs: source, and the output it must print. */
export const PROGRAMS = {
  generator: { source: 'examples/generator.c', expected: 'examples/expected/generator.txt' },
  same_fringe: { source: 'examples/same_fringe.c', expected: 'examples/expected/same_fringe.txt' },
  pipeline: { source: 'examples/pipeline.c', expected: 'examples/expected/pipeline.txt' },
  throw_kill: { source: 'web-demo/throw_kill.c', expected: 'web-demo/expected/throw_kill.txt' },
};

const MODULES = {
  demo: ['demo.c', 'reply.c', 'tree.c', 'trace.c'],
  gui: ['gui.c', 'canvas.c', 'reply.c', 'trace.c'],
  programs: ['programs.c', 'reply.c', 'trace.c'], // + the programs' objects
  bench: ['bench.c'],
};
const PAGE_FILES = ['index.html', 'style.css', 'app.mjs', 'view.mjs', 'walkers-page.mjs', 'timeline.mjs', 'gui-page.mjs',
  'programs-page.mjs', 'bench-page.mjs', 'bench-worker.mjs', 'source.mjs'];
const SHOWN_SOURCES = ['gui.c', 'demo.c']; // the page shows these beside their sections
const JOBS = Number(process.env.GREENLET_JOBS) || 2; // the machine is shared

const WARNINGS = ['-O2', '-Wall', '-Wextra', '-Werror'];

function emcc(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('emcc', args, { env: emccEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', (e) => reject(new Error(`web-demo: cannot run emcc: ${e.message} (bash scripts/setup.sh installs it)`)));
    child.on('close', (status) => (status === 0 ? resolve()
      : reject(new Error(`web-demo: emcc ${args.find((a) => a.endsWith('.c')) ?? ''} failed (exit ${status})\n${output}`))));
  });
}

/** Runs the tasks (functions returning promises), at most `jobs` at a time. */
async function inParallel(tasks, jobs) {
  const queue = [...tasks];
  const worker = async () => { while (queue.length) await queue.shift()(); };
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, worker));
}

/** Builds the demo into outDir; returns outDir. */
export async function buildDemo({ outDir = defaultOutDir, lib = true } = {}) {
  const t0 = Date.now();
  if (lib) await buildLib();
  const config = greenletConfig();
  fs.mkdirSync(outDir, { recursive: true });
  const objDir = fs.mkdtempSync(path.join(os.tmpdir(), 'libgreenlet-web-demo-obj-'));
  try {
    const link = (name, inputs) => emcc([...WARNINGS, ...inputs, ...config.cflags, ...config.libs, ...config.esm,
      '-o', path.join(outDir, `${name}.mjs`)]);
    // Each program keeps its own main(), renamed so that four fit in one module.
    const objects = Object.entries(PROGRAMS).map(([name, { source }]) => path.join(objDir, `${name}.o`));
    await inParallel(Object.entries(PROGRAMS).map(([name, { source }], i) => () => emcc([...WARNINGS,
      `-Dmain=${name}_main`, ...config.cflags, '-c', path.join(repoRoot, source), '-o', objects[i]])), JOBS);
    await inParallel(Object.entries(MODULES).map(([name, sources]) => () => link(name,
      [...sources.map((f) => path.join(here, f)), ...(name === 'programs' ? objects : [])])), JOBS);
  } finally {
    fs.rmSync(objDir, { recursive: true, force: true });
  }
  for (const file of PAGE_FILES) fs.copyFileSync(path.join(here, file), path.join(outDir, file));
  // The page imports the package's helper as a sibling, so the directory is
  // self-contained and any static server can serve it.
  fs.copyFileSync(path.join(repoRoot, 'js', 'index.mjs'), path.join(outDir, 'libgreenlet.mjs'));
  for (const dir of ['src', 'expected']) fs.mkdirSync(path.join(outDir, dir), { recursive: true });
  for (const file of SHOWN_SOURCES) fs.copyFileSync(path.join(here, file), path.join(outDir, 'src', file));
  for (const [name, { source, expected }] of Object.entries(PROGRAMS)) {
    fs.copyFileSync(path.join(repoRoot, source), path.join(outDir, 'src', `${name}.c`));
    fs.copyFileSync(path.join(repoRoot, expected), path.join(outDir, 'expected', `${name}.txt`));
  }
  console.error(`web-demo: built ${path.relative(process.cwd(), outDir) || '.'} ` +
    `(libgreenlet ${config.version}, emcc ${config.emscripten}, ${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  return outDir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let outDir;
  let lib = true;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out' && i + 1 < args.length) outDir = path.resolve(args[++i]);
    else if (args[i] === '--no-lib') lib = false;
    else { console.error('usage: node web-demo/build.mjs [--out DIR] [--no-lib]'); process.exit(2); }
  }
  buildDemo({ outDir, lib }).catch((e) => { console.error(e.message); process.exit(1); });
}

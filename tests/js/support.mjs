// Shared by the JS tests (not a test file itself: scripts/stage-js.sh runs
// only tests/js/*.test.mjs, after building the prebuilt library once with
// js/build-lib.mjs). Builds the test programs through emcc.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { emccEnv } from '../../js/build-lib.mjs';
import { variants } from '../../js/config.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixture = (name) => path.join(repoRoot, 'tests', 'js', 'fixtures', name);
export const configBin = path.join(repoRoot, 'js', 'bin', 'libgreenlet-config.mjs');
export const env = emccEnv();

/** Node options that run a plain Emscripten 3.1.6 program (its .wasm next to
 *  it) under any Node line: `run(process.execPath, [...withoutFetch, file])`.
 *  See no-fetch.cjs for why (Node 24 removed --no-experimental-fetch). */
export const withoutFetch = ['--require', path.join(repoRoot, 'tests', 'js', 'no-fetch.cjs')];

/** js/prebuilt/ holds every variant (scripts/stage-js.sh builds them before
 *  the tests: test files run in parallel, and two builds into one tree would
 *  clash). */
export async function ensurePrebuilt() {
  for (const { dir } of Object.values(variants)) {
    if (!fs.existsSync(path.join(repoRoot, dir, 'flags.json')))
      throw new Error(`${dir}/ is missing: run \`node js/build-lib.mjs\` first (npm test does)`);
  }
}

/** Runs a WASI program under Node's node:wasi, the way the project's ctest
 *  does (cmake/toolchains/wasi-run.mjs); returns { status, stdout, stderr }. */
export function runWasi(file, options = {}) {
  const runner = path.join(repoRoot, 'cmake', 'toolchains', 'wasi-run.mjs');
  return run(process.execPath, ['--no-warnings', runner, file], options);
}

/** A fresh temporary directory, removed after the test (t.after) unless
 *  GREENLET_KEEP_TMP is set, for looking at a failure. */
export function tempDir(t, prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `libgreenlet-${prefix}-`));
  t.after(() => {
    if (process.env.GREENLET_KEEP_TMP) console.error(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Runs a command; returns { status, stdout, stderr }. */
export function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.error) throw r.error;
  return r;
}

/** Runs a command that must succeed; returns its stdout. */
export function runOk(cmd, args, options = {}) {
  const r = run(cmd, args, options);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  }
  return r.stdout;
}

/** The flags libgreenlet-config prints for the given options, as words. */
export function configFlags(...options) {
  return runOk(process.execPath, [configBin, ...options]).trim().split(/\s+/).filter(Boolean);
}

/** emcc's -s settings among flags, as a Map (both "-sX=1" and "-s X=1"). */
export function emccSettings(flags) {
  const settings = new Map();
  for (let i = 0; i < flags.length; i++) {
    let setting = null;
    if (flags[i] === '-s' && i + 1 < flags.length) setting = flags[++i];
    else if (flags[i].startsWith('-s')) setting = flags[i].slice(2);
    if (setting === null) continue;
    const eq = setting.indexOf('=');
    if (eq < 0) settings.set(setting, '1');
    else settings.set(setting.slice(0, eq), setting.slice(eq + 1));
  }
  return settings;
}

/** Builds tests/js/fixtures/consumer.c into dir/<name>.mjs (+ .wasm unless
 *  -sSINGLE_FILE=1) with the package's flags; extra flags come last and so
 *  override earlier settings. Returns the .mjs path. */
export function buildConsumer(dir, name, extra = []) {
  const out = path.join(dir, `${name}.mjs`);
  runOk('emcc', ['-O2', '-Wall', '-Wextra', '-Werror', fixture('consumer.c'),
    ...configFlags('--cflags', '--libs', '--esm'), ...extra, '-o', out], { cwd: dir });
  return out;
}

/** What consumer.c's sum_of_totals(n) returns (see the C comment). */
export function sumOfTotals(n) {
  let total = 0;
  for (let k = 0; k <= n; k++) total += (k * (k + 1)) / 2;
  return total + ((n * (n + 1)) / 2) * 100;
}

/** What consumer.c's await_in_greenlet(n) returns. */
export const awaitInGreenlet = (n) => (n + 1) * 1000 + (n + 1 + 10 + 1);

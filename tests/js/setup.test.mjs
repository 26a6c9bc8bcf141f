// scripts/setup.sh's profiles: `start` installs only what `npm start` uses,
// `bench` what `npm run bench` uses, `test` (the default) everything. Checked
// through its dry run (GREENLET_SETUP_DRY_RUN=1) and by running a copy of it
// in a scratch tree with apt-get, dpkg-query, id and npm replaced by
// recorders on PATH, so nothing is installed. Needs only bash and node.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { repoRoot, run, tempDir } from './support.mjs';

const setup = path.join(repoRoot, 'scripts', 'setup.sh');

/** The dry run's list for a profile: { apt: [...], npm: [...] }. */
function plan(...args) {
  const r = run('bash', [setup, ...args], { env: { ...process.env, GREENLET_SETUP_DRY_RUN: '1' } });
  assert.equal(r.status, 0, r.stderr);
  const lists = { apt: [], npm: [] };
  for (const line of r.stdout.trim().split('\n')) {
    const [kind, name, ...rest] = line.split(' ');
    assert.ok(kind in lists && name && rest.length === 0, `unexpected dry-run line: ${line}`);
    lists[kind].push(name);
  }
  return lists;
}

// Packages only the tests need: cross compilers and their libcs, qemu, MinGW
// and Wine, the browser, the memory checker, the benchmark and
// differential-testing peers, libuv (the hub example's tests and benchmark).
const testOnly = /^(qemu-user|gcc-.+-linux-gnu.*|libc6-dev-.+-cross|.+-mingw-w64-.+|wine64|chromium|valgrind|libboost-.+|python3-greenlet|node-typescript|clang|gdb|libuv1-dev)$/;

test('the start profile is a lean subset of test: compiler, CMake, Emscripten, Binaryen', () => {
  const start = plan('start');
  const all = plan('test');
  assert.deepEqual(start.apt.filter((p) => !all.apt.includes(p)), []);
  assert.deepEqual(start.apt.filter((p) => testOnly.test(p)), []);
  for (const needed of ['build-essential', 'cmake', 'emscripten', 'binaryen']) assert.ok(start.apt.includes(needed), needed);
  assert.ok(start.apt.length < all.apt.length / 4, `${start.apt.length} of ${all.apt.length} packages`);
  assert.deepEqual(start.npm, [], 'npm start needs no npm packages and no extra Node binaries');
});

test('the test profile, the default, has everything the stages use, and the Node lines', () => {
  const all = plan('test');
  assert.deepEqual(plan(), all);
  for (const needed of ['qemu-user', 'gcc-aarch64-linux-gnu', 'gcc-s390x-linux-gnu', 'libc6-dev-armhf-cross',
    'chromium', 'node-typescript', 'valgrind', 'python3-greenlet', 'libboost-context-dev', 'clang',
    'wasi-libc', 'emscripten', 'binaryen', 'pkg-config', 'gcc-mingw-w64-x86-64-win32', 'g++-mingw-w64-x86-64-win32',
    'wine64', 'libuv1-dev']) {
    assert.ok(all.apt.includes(needed), needed);
  }
  assert.ok(all.npm.includes('build/node-lines'));
  assert.ok(all.npm.includes('.'), "the project's devDependencies (playwright-core for the web demo tests)");
});

test('the bench profile is a subset of test with the peers and both WebAssembly hosts', () => {
  const bench = plan('bench');
  const all = plan('test');
  assert.deepEqual(bench.apt.filter((p) => !all.apt.includes(p)), []);
  for (const needed of ['build-essential', 'cmake', 'libboost-context-dev', 'python3-greenlet', 'valgrind',
    'emscripten', 'binaryen', 'chromium', 'libuv1-dev']) {
    assert.ok(bench.apt.includes(needed), needed);
  }
  assert.ok(!bench.apt.includes('qemu-user') && !bench.apt.some((p) => p.endsWith('-cross')));
  assert.ok(!bench.apt.includes('wine64') && !bench.apt.some((p) => p.includes('mingw')));
});

test('an unknown profile is a usage error', () => {
  const r = run('bash', [setup, 'everything'], { env: { ...process.env, GREENLET_SETUP_DRY_RUN: '1' } });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /usage: bash scripts\/setup.sh \[start\|test\|bench\]/);
});

// A scratch copy of the files setup.sh reads, and recorders for the commands
// it may run: each appends its name and arguments to calls.log. dpkg-query
// says every package is installed when `installed` is true, none otherwise;
// id -u prints uid; npm ci creates node_modules.
function scratch(t, { uid, installed }) {
  const dir = tempDir(t, 'setup');
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(setup, path.join(dir, 'scripts', 'setup.sh'));
  fs.cpSync(path.join(repoRoot, 'tests', 'node-lines'), path.join(dir, 'tests', 'node-lines'), { recursive: true });
  const bin = path.join(dir, 'fake-bin');
  fs.mkdirSync(bin);
  const log = path.join(dir, 'calls.log');
  fs.writeFileSync(log, '');
  const recorder = (name, body) => fs.writeFileSync(path.join(bin, name),
    `#!/bin/bash\necho "${name} $*" >>'${log}'\n${body}\n`, { mode: 0o755 });
  recorder('dpkg-query', installed ? 'echo "install ok installed"' : 'exit 1');
  recorder('id', `echo ${uid}`);
  recorder('apt-get', 'exit 0');
  recorder('npm', '[ "$1" = ci ] && mkdir -p node_modules; exit 0');
  const runSetup = (profile, extraEnv = {}) => {
    const r = run('bash', [path.join(dir, 'scripts', 'setup.sh'), profile],
      { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GREENLET_SETUP_DRY_RUN: '', ...extraEnv } });
    const calls = fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
    fs.writeFileSync(log, '');
    return { ...r, calls };
  };
  return { dir, runSetup };
}

const commandNames = (calls) => [...new Set(calls.map((c) => c.split(' ')[0]))].sort();

test('the dry run runs nothing: no dpkg-query, apt-get or npm', (t) => {
  const { dir, runSetup } = scratch(t, { uid: 0, installed: false });
  const lock = path.join(repoRoot, 'package-lock.json'); // as in the real tree, for the same plan
  if (fs.existsSync(lock)) fs.copyFileSync(lock, path.join(dir, 'package-lock.json'));
  for (const profile of ['start', 'test', 'bench']) {
    const r = runSetup(profile, { GREENLET_SETUP_DRY_RUN: '1' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.calls, []);
    assert.equal(r.stdout, run('bash', [setup, profile], { env: { ...process.env, GREENLET_SETUP_DRY_RUN: '1' } }).stdout);
  }
  assert.ok(!fs.existsSync(path.join(dir, 'build')), 'the dry run creates nothing');
});

test('not root, with packages missing: prints the exact command for the profile only and exits 1', (t) => {
  const { runSetup } = scratch(t, { uid: 1000, installed: false });
  const r = runSetup('start');
  assert.equal(r.status, 1);
  const start = plan('start').apt.join(' ');
  assert.ok(r.stderr.includes(
    `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${start}\n`), r.stderr);
  assert.deepEqual(commandNames(r.calls), ['dpkg-query', 'id']);
});

test('as root: apt-get installs just what the profile misses', (t) => {
  const { runSetup } = scratch(t, { uid: 0, installed: false });
  const r = runSetup('bench');
  assert.equal(r.status, 0, r.stderr);
  const install = r.calls.filter((c) => c.startsWith('apt-get') && c.includes(' install '));
  assert.deepEqual(install, [`apt-get install -y -q --no-install-recommends ${plan('bench').apt.join(' ')}`]);
});

test('test profile: npm ci into build/node-lines once, again when the lockfile changes', (t) => {
  const { dir, runSetup } = scratch(t, { uid: 0, installed: true });
  const ci = (calls) => calls.filter((c) => c.startsWith('npm '));
  let r = runSetup('test');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(ci(r.calls), ['npm ci --no-audit --no-fund --loglevel=error --no-bin-links']);
  assert.ok(!r.calls.some((c) => c.startsWith('apt-get')), 'nothing missing, nothing installed');
  const lock = path.join(dir, 'tests', 'node-lines', 'package-lock.json');
  assert.equal(fs.readFileSync(path.join(dir, 'build', 'node-lines', 'package-lock.json'), 'utf8'),
    fs.readFileSync(lock, 'utf8'));

  r = runSetup('test');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(ci(r.calls), [], 'up to date: no npm ci');

  fs.appendFileSync(lock, '\n'); // a pulled lockfile: node_modules is stale
  r = runSetup('test');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(ci(r.calls).length, 1);

  r = runSetup('start');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(ci(r.calls), [], 'start installs no Node lines');
});

test('test profile: npm ci in the project too when it has a package-lock.json; start and bench: never', (t) => {
  const { dir, runSetup } = scratch(t, { uid: 0, installed: true });
  fs.writeFileSync(path.join(dir, 'package-lock.json'), '{"lockfileVersion": 3}\n');
  const ci = (r) => r.calls.filter((c) => c.startsWith('npm '));
  for (const profile of ['start', 'bench']) {
    const r = runSetup(profile);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(ci(r), [], profile);
  }
  let r = runSetup('test');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(ci(r), ['npm ci --no-audit --no-fund --loglevel=error',
    'npm ci --no-audit --no-fund --loglevel=error --no-bin-links']);
  assert.ok(fs.existsSync(path.join(dir, 'node_modules')));
  r = runSetup('test');
  assert.deepEqual(ci(r), [], 'up to date: no npm ci');
});

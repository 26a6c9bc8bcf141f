// The npm package as a user gets it: `npm pack` (its prepack script builds the
// prebuilt wasm libraries), `npm install <tarball>` into a fresh project
// (offline, from the file), a C greenlet program compiled with emcc and
// `$(npx libgreenlet-config ...)`, loaded in Node with the package's helper,
// and one compiled with plain clang, instrumented with the printed wasm-opt
// step and run under node:wasi (`--target=wasi`). Wasm-only by nature (the
// npm package is the wasm build).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { awaitInGreenlet, fixture, repoRoot, run, runOk, sumOfTotals } from './support.mjs';

let dir; // holds the tarball, the npm cache and the project
let project;
let packed;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'libgreenlet-pack-'));
  packed = JSON.parse(runOk('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repoRoot }))[0];
  project = path.join(dir, 'app');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }, null, 2));
  runOk('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', path.join(dir, 'npm-cache'),
    path.join(dir, packed.filename)], { cwd: project });
});

after(() => {
  if (!dir) return;
  if (process.env.GREENLET_KEEP_TMP) console.error(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
});

test('the tarball holds the header, the prebuilt library, the bin and the helper, nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const needed of ['include/greenlet.h', 'js/prebuilt/libgreenlet.a', 'js/prebuilt/flags.json',
    'js/prebuilt/wasi/libgreenlet.a', 'js/prebuilt/wasi/flags.json',
    'js/prebuilt/pthread/libgreenlet.a', 'js/prebuilt/pthread/flags.json',
    'js/bin/libgreenlet-config.mjs', 'js/index.mjs', 'js/index.d.ts', 'js/config.mjs', 'js/config.d.ts',
    'package.json', 'README.md', 'LICENSE']) {
    assert.ok(files.includes(needed), `${needed} is packed`);
  }
  const unexpected = files.filter((f) => /^(src|tests|scripts|cmake|build)\//.test(f) ||
    /(^|\/)\.(git|npm)ignore$/.test(f) || f === 'js/build-lib.mjs');
  assert.deepEqual(unexpected, []);
  assert.equal(packed.name, 'libgreenlet');
});

test('the installed bin prints flags inside the installed package', () => {
  const installed = fs.realpathSync(path.join(project, 'node_modules', 'libgreenlet'));
  assert.ok(!installed.startsWith(repoRoot + path.sep), 'installed as a copy, not a link to the repo');
  const flags = runOk('npx', ['--no-install', 'libgreenlet-config', '--cflags', '--libs'], { cwd: project })
    .trim().split(/\s+/);
  const paths = flags.map((f) => (f.startsWith('-I') ? f.slice(2) : f)).filter((f) => path.isAbsolute(f));
  assert.ok(paths.length >= 3, `include dir, library, js library: ${paths}`);
  for (const p of paths) {
    assert.ok(p.startsWith(installed + path.sep), `${p} is in the installed package`);
    assert.ok(fs.existsSync(p), p);
  }
});

test('the installed bin prints WASI flags inside the installed package', () => {
  const installed = fs.realpathSync(path.join(project, 'node_modules', 'libgreenlet'));
  // The bin npm linked (the test above runs it through npx).
  const bin = path.join(project, 'node_modules', '.bin', 'libgreenlet-config');
  const config = (...options) => runOk(process.execPath, [bin, '--target=wasi', ...options], { cwd: project })
    .trim().split(/\s+/);
  const flags = config('--cflags', '--libs');
  const paths = flags.map((f) => (f.startsWith('-I') ? f.slice(2) : f)).filter((f) => path.isAbsolute(f));
  assert.deepEqual(paths, [path.join(installed, 'include'), path.join(installed, 'js', 'prebuilt', 'wasi', 'libgreenlet.a')]);
  for (const p of paths) assert.ok(fs.existsSync(p), p);
  assert.ok(flags.includes('--target=wasm32-wasi'), flags.join(' '));
  assert.ok(config('--wasm-opt').includes('--asyncify'));
});

test('a C greenlet program built with the flags runs in Node through the helper', () => {
  fs.copyFileSync(fixture('consumer.c'), path.join(project, 'consumer.c'));
  fs.copyFileSync(fixture('pack_driver.mjs'), path.join(project, 'driver.mjs'));
  // Exactly what the README tells users to type.
  runOk('bash', ['-c', 'emcc -O2 -Wall -Wextra -Werror consumer.c ' +
    '$(npx --no-install libgreenlet-config --cflags --libs --esm) -o app.mjs'], { cwd: project });
  assert.ok(fs.existsSync(path.join(project, 'app.wasm')), 'a separate .wasm, which Node cannot fetch alone');

  const n = 4;
  const r = JSON.parse(runOk(process.execPath, ['driver.mjs', String(n)], { cwd: project }));
  assert.equal(r.prefix, fs.realpathSync(path.join(project, 'node_modules', 'libgreenlet')));
  // main() ran at load: values switched out of a generator greenlet.
  assert.deepEqual(r.printed, ['got 1', 'got 2', 'got 3']);
  // Values both ways: 0..n switched into an accumulator, its totals back,
  // then its return value (total * 100) when it ends.
  assert.equal(r.sumOfTotals, sumOfTotals(n));
  // An error raised in a child greenlet is delivered to its parent: code 42,
  // payload 1042.
  assert.equal(r.deliveredError, 42 * 10000 + 1042);
  assert.match(r.errorName, /^GREENLET_EINVAL/);
  // Exports that await a JS Promise inside a greenlet give JS a Promise of
  // their result; two at once are queued, not interleaved.
  assert.equal(r.pendingArePromises, true);
  assert.equal(r.busyWhilePending, true);
  assert.deepEqual(r.awaited, [awaitInGreenlet(n), awaitInGreenlet(n + 1)]);
  // abort() in C rejects the pending Promise; the module refuses later calls.
  assert.match(r.abort, /the module aborted/);
  assert.match(r.afterAbort, /cannot call sum_of_totals: the module aborted/);
  // Nothing on stderr but Emscripten's own line for the abort (no library warning).
  assert.deepEqual(r.stderr, ['Aborted()']);
});

test("the packed README's npm example works as written", () => {
  // The section of the README inside the installed package: its C file, its
  // emcc line and its main.mjs, each run as the README shows them.
  const readme = fs.readFileSync(path.join(project, 'node_modules', 'libgreenlet', 'README.md'), 'utf8');
  const start = readme.indexOf('## npm package (WebAssembly)');
  assert.ok(start >= 0, 'the README has the npm section');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, code]) => ({ lang, code }));
  const named = (lang) => blocks.filter((b) => b.lang === lang).map((b) => ({
    name: b.code.match(/^\/\/ (\S+)/)?.[1], code: b.code,
  }));
  const [cFile] = named('c');
  const [jsFile] = named('js');
  const emccLine = blocks.filter((b) => b.lang === 'sh').map((b) => b.code.trim()).find((c) => c.startsWith('emcc '));
  assert.ok(cFile?.name && jsFile?.name && emccLine, 'a named C file, a named JS file and an emcc line');

  const example = path.join(project, 'readme-example');
  fs.mkdirSync(example);
  fs.writeFileSync(path.join(example, cFile.name), cFile.code);
  fs.writeFileSync(path.join(example, jsFile.name), jsFile.code);
  runOk('bash', ['-c', emccLine], { cwd: example });
  const lines = runOk(process.execPath, [jsFile.name], { cwd: example }).trim().split('\n');
  // sum_of_squares(4): partial sums of 1, 4, 9, 16, each printed, then the total.
  const partial = [1, 2, 3, 4].map((_, i, a) => a.slice(0, i + 1).reduce((s, k) => s + k * k, 0));
  assert.deepEqual(lines, [...partial.map((s) => `partial sum ${s}`), String(partial.at(-1))]);
});

test("the packed README's WASI example works as written: clang, wasm-opt, node:wasi", () => {
  // The WASI subsection of the installed README: its C file, its runner and
  // its commands, run by bash as a user would paste them.
  const readme = fs.readFileSync(path.join(project, 'node_modules', 'libgreenlet', 'README.md'), 'utf8');
  const start = readme.indexOf('### WASI: plain clang and wasm-opt');
  assert.ok(start >= 0, 'the README has the WASI subsection');
  const rest = readme.slice(start + 1);
  const section = rest.slice(0, rest.search(/\n#+ /)); // up to the next heading
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, code]) => ({ lang, code }));
  const files = blocks.filter((b) => b.lang === 'c' || b.lang === 'js')
    .map((b) => ({ name: b.code.match(/^\/\/ (\S+)/)?.[1], code: b.code }));
  const commands = blocks.filter((b) => b.lang === 'sh').map((b) => b.code);
  assert.equal(files.length, 2);
  assert.ok(files.every((f) => f.name), 'the C file and the runner are named');
  assert.equal(commands.length, 1);
  assert.match(commands[0], /^clang [^\n]*--target=wasi --cflags --libs/m);
  assert.match(commands[0], /^wasm-opt [^\n]*--target=wasi --wasm-opt/m);

  const example = path.join(project, 'readme-wasi');
  fs.mkdirSync(example);
  for (const f of files) fs.writeFileSync(path.join(example, f.name), f.code);
  const r = run('bash', ['-e', '-c', commands[0]], { cwd: example });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  // squares(4) hands over 1, 1+4, 1+4+9, 1+4+9+16, then returns the last.
  const partial = [1, 2, 3, 4].map((_, i, a) => a.slice(0, i + 1).reduce((s, k) => s + k * k, 0));
  assert.equal(r.stdout, [...partial.map((s) => `partial sum ${s}`), `total ${partial.at(-1)}`].join('\n') + '\n');
});

test("the installed package's declarations type-check a user's file (tsc)", () => {
  // Debian's tsc (node-typescript, installed by scripts/setup.sh). Both the
  // exports map (node16 resolution) and the classic fields (node resolution:
  // "types", "typesVersions") must lead to the declarations.
  fs.copyFileSync(fixture('typecheck.ts'), path.join(project, 'typecheck.ts'));
  const common = ['--noEmit', '--strict', '--target', 'es2022', 'typecheck.ts'];
  runOk('tsc', ['--module', 'node16', '--moduleResolution', 'node16', ...common], { cwd: project });
  runOk('tsc', ['--module', 'es2022', '--moduleResolution', 'node', ...common], { cwd: project });
});

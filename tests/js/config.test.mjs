// libgreenlet-config (js/bin/libgreenlet-config.mjs) prints flags that work:
// the header is where --cflags says, --libs names the prebuilt wasm archive
// and the backend's link settings, and a program built with exactly those
// flags runs: with emcc (the default target) and with plain clang plus the
// printed wasm-opt step (--target=wasi, run under node:wasi). Wasm-only by
// nature (the npm package is the wasm build).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { asyncifyRemoveList, defaultTarget, greenletConfig, esmFlags, targets } from '../../js/config.mjs';
import {
  configBin, configFlags, emccSettings, ensurePrebuilt, fixture, repoRoot, run, runOk, runWasi, tempDir, withoutFetch,
} from './support.mjs';

before(async () => { await ensurePrebuilt(); });

test('--cflags names the directory of greenlet.h', () => {
  const includes = configFlags('--cflags').filter((f) => f.startsWith('-I')).map((f) => f.slice(2));
  assert.equal(includes.length, 1);
  assert.ok(fs.existsSync(path.join(includes[0], 'greenlet.h')), `${includes[0]}/greenlet.h`);
});

test('--libs names the prebuilt wasm archive and the settings of the Asyncify backend', () => {
  const libs = configFlags('--libs');
  const archive = libs[0];
  assert.ok(archive.endsWith('libgreenlet.a'), archive);
  const bytes = fs.readFileSync(archive);
  assert.equal(bytes.subarray(0, 8).toString('latin1'), '!<arch>\n');
  assert.ok(bytes.includes(Buffer.from('\0asm')), 'the archive holds wasm objects');

  const settings = emccSettings(libs);
  assert.equal(settings.get('ASYNCIFY'), '1');
  assert.equal(settings.get('ASSERTIONS'), '0'); // asyncify-asserts trap in the switch
  const jsLibrary = libs[libs.indexOf('--js-library') + 1];
  assert.ok(jsLibrary && fs.existsSync(jsLibrary), `--js-library ${jsLibrary}`);
  for (const flag of libs.filter((f) => path.isAbsolute(f))) assert.ok(fs.existsSync(flag), flag);
});

test('the flags build the README example at -O0; it runs under Node', (t) => {
  const dir = tempDir(t, 'config');
  const out = path.join(dir, 'example.js');
  // No --esm: a plain emcc program, run directly by Node. -O0 makes ASSERTIONS
  // default to on, which --libs must turn off again.
  runOk('emcc', ['-O0', '-Wall', '-Wextra', '-Werror', fixture('consumer.c'),
    ...configFlags('--cflags', '--libs'), '-o', out], { cwd: dir });
  const r = run(process.execPath, [...withoutFetch, out], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'got 1\ngot 2\ngot 3\n');
});

test('--pthread: the threads library and -pthread; a program with two threads of greenlets runs under Node', (t) => {
  const cflags = configFlags('--pthread', '--cflags');
  const libs = configFlags('--pthread', '--libs');
  assert.ok(cflags.includes('-pthread'), cflags.join(' '));
  assert.ok(libs[0].endsWith(path.join('pthread', 'libgreenlet.a')), libs[0]);
  assert.notEqual(libs[0], configFlags('--libs')[0]);
  assert.equal(greenletConfig({ threads: true }).threads, true);
  assert.equal(greenletConfig().threads, false);
  const dir = tempDir(t, 'config');
  const out = path.join(dir, 'threads.js');
  // The program's own choices: workers made before main() blocks in
  // pthread_join, and ended when it returns.
  runOk('emcc', ['-O2', '-Wall', '-Wextra', '-Werror', fixture('threads.c'), ...cflags, ...libs,
    '-sPTHREAD_POOL_SIZE=2', '-sEXIT_RUNTIME=1', '-o', out], { cwd: dir });
  const r = run(process.execPath, [...withoutFetch, out], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'sums 55 210, main greenlet unchanged\n');
  // The single-threaded library cannot go into a program with threads.
  const single = run('emcc', ['-O2', fixture('threads.c'), '-pthread', ...configFlags('--cflags', '--libs'),
    '-o', path.join(dir, 'single.js')], { cwd: dir });
  assert.notEqual(single.status, 0);
  assert.match(single.stderr, /atomics|shared-memory|bulk-memory/);
});

test('a link that turns ASSERTIONS back on fails with an explanation', (t) => {
  const dir = tempDir(t, 'config');
  const r = run('emcc', ['-O0', fixture('consumer.c'), ...configFlags('--cflags', '--libs'),
    '-sASSERTIONS=1', '-o', path.join(dir, 'bad.js')], { cwd: dir });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /libgreenlet needs -sASSERTIONS=0/);
});

test('--esm, --prefix, --version and --json agree with the package', () => {
  assert.deepEqual(configFlags('--esm'), [...esmFlags]);
  assert.deepEqual(configFlags('--prefix'), [repoRoot]);
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  assert.deepEqual(configFlags('--version'), [pkg.version]);
  const json = JSON.parse(runOk(process.execPath, [configBin, '--json']));
  assert.deepEqual(json, greenletConfig());
  assert.equal(json.emscripten, runOk('emcc', ['--version']).match(/\d+\.\d+\.\d+/)[0]);
  // Several options print on one line, in the order asked.
  assert.deepEqual(configFlags('--libs', '--cflags'), [...json.libs, ...json.cflags]);
});

test('--asyncify-remove prints one shell-proof -sASYNCIFY_REMOVE word; names of yours join the list', () => {
  const [flag, ...rest] = configFlags('--asyncify-remove');
  assert.deepEqual(rest, []);
  // No brackets, quotes, globs or whitespace: $(...) leaves it as it is.
  assert.match(flag, /^-sASYNCIFY_REMOVE=[A-Za-z0-9_$.,]+$/);
  const names = flag.slice('-sASYNCIFY_REMOVE='.length).split(',');
  assert.deepEqual(names, [...asyncifyRemoveList]);
  assert.deepEqual(greenletConfig().asyncifyRemove, [...asyncifyRemoveList]);
  // Functions that call back into the program must never be in it.
  for (const unsafe of ['qsort', 'bsearch', 'tsearch', 'twalk', 'lsearch', 'lfind', 'exit', 'atexit',
    'pthread_once', 'nftw', 'glob', 'scandir', 'raise', 'fopencookie']) {
    assert.ok(!names.includes(unsafe), unsafe);
  }
  assert.ok(!names.some((n) => n.startsWith('dynCall')));
  // One flag (a second -sASYNCIFY_REMOVE would replace the first), in the order asked.
  const libs = configFlags('--libs');
  assert.deepEqual(configFlags('--libs', '--asyncify-remove=fib,compare', '--asyncify-remove=fib'),
    [...libs, `${flag},fib,compare`]);
  for (const bad of ['--asyncify-remove=', '--asyncify-remove=a*', '--asyncify-remove=f(int)', '--asyncify-remove=a,,b']) {
    const r = run(process.execPath, [configBin, bad]);
    assert.equal(r.status, 2, bad);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /not a plain function name/);
  }
});

// examples/generator.c built with emcc and the given libgreenlet-config
// options, and run: { stdout, bytes } of its .wasm. Each build happens once
// (the WASI test compares with one too).
const generatorSource = path.join(repoRoot, 'examples', 'generator.c');
const generatorBuilds = new Map();
function emccGenerator(t, options) {
  if (generatorBuilds.has(options)) return generatorBuilds.get(options);
  const dir = tempDir(t, 'config');
  // Through a real shell, with failglob: the flags must survive unquoted
  // command substitution. -O2: the inliner runs before Asyncify there.
  const cmd = `shopt -s failglob; emcc -O2 -Wall -Wextra -Werror "$1" $(node "$2" ${options}) -o app.js`;
  const r = run('bash', ['-c', cmd, 'bash', generatorSource, configBin], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  // Every listed name is in any program that links libgreenlet.
  assert.doesNotMatch(r.stderr, /non-existing function name/);
  const out = run(process.execPath, [...withoutFetch, path.join(dir, 'app.js')], { cwd: dir });
  assert.equal(out.status, 0, out.stderr);
  const built = { stdout: out.stdout, bytes: fs.statSync(path.join(dir, 'app.wasm')).size };
  generatorBuilds.set(options, built);
  return built;
}

test('examples/generator.c linked with --asyncify-remove through $(...) runs as before, smaller', (t) => {
  const full = emccGenerator(t, '--cflags --libs');
  const removed = emccGenerator(t, '--cflags --libs --asyncify-remove');
  assert.match(full.stdout, /generator ok/);
  assert.equal(removed.stdout, full.stdout);
  assert.ok(removed.bytes < full.bytes, `${removed.bytes} < ${full.bytes} bytes`);
});

test('usage errors exit 2; --help exits 0', () => {
  const none = run(process.execPath, [configBin]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /usage: libgreenlet-config/);
  const unknown = run(process.execPath, [configBin, '--cflags', '--ldflags']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option --ldflags/);
  assert.equal(unknown.stdout, '');
  const help = run(process.execPath, [configBin, '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--target=emscripten[\s\S]*--target=wasi[\s\S]*--cflags[\s\S]*--libs[\s\S]*--esm/);
  assert.match(help.stdout, /--asyncify-remove[\s\S]*--wasm-opt[\s\S]*--json/);
});

test('without the prebuilt library it says how to build it', (t) => {
  // A package copy whose js/prebuilt/ was never built (a fresh git clone).
  const dir = tempDir(t, 'config');
  fs.mkdirSync(path.join(dir, 'js', 'bin'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'js', 'config.mjs'), path.join(dir, 'js', 'config.mjs'));
  fs.copyFileSync(configBin, path.join(dir, 'js', 'bin', 'libgreenlet-config.mjs'));
  for (const options of [['--libs'], ['--target=wasi', '--libs']]) {
    const r = run(process.execPath, [path.join(dir, 'js', 'bin', 'libgreenlet-config.mjs'), ...options]);
    assert.equal(r.status, 1, options.join(' '));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /node js\/build-lib\.mjs/);
  }
});

// ---- --target=wasi: plain clang, wasi-libc, wasm-opt --asyncify ------------

const wasi = (...options) => configFlags('--target=wasi', ...options);

test('the targets are emscripten (the default) and wasi; --target=emscripten changes nothing', () => {
  assert.deepEqual([...targets], ['emscripten', 'wasi']);
  assert.equal(defaultTarget, 'emscripten');
  const options = ['--cflags', '--libs', '--esm', '--asyncify-remove'];
  assert.deepEqual(configFlags('--target=emscripten', ...options), configFlags(...options));
  assert.equal(greenletConfig().target, 'emscripten');
  assert.deepEqual(greenletConfig({ target: 'emscripten' }), greenletConfig());
  assert.throws(() => greenletConfig({ target: 'wasm64' }), /unknown target "wasm64" \(known: emscripten, wasi\)/);
});

test('--target=wasi --cflags --libs: clang\'s target, the header and the WASI archive', () => {
  const config = greenletConfig({ target: 'wasi' });
  const cflags = wasi('--cflags');
  const libs = wasi('--libs');
  assert.deepEqual(cflags, config.cflags);
  assert.deepEqual(libs, config.libs);
  // clang compiles and links for the library's target.
  for (const flags of [cflags, libs]) assert.ok(flags.includes('--target=wasm32-wasi'), flags.join(' '));
  const includes = cflags.filter((f) => f.startsWith('-I')).map((f) => f.slice(2));
  assert.deepEqual(includes, [config.includeDir]);
  assert.ok(fs.existsSync(path.join(includes[0], 'greenlet.h')));
  const archives = libs.filter((f) => f.endsWith('.a'));
  assert.deepEqual(archives, [config.library]);
  assert.notEqual(config.library, greenletConfig().library);
  const bytes = fs.readFileSync(config.library);
  assert.equal(bytes.subarray(0, 8).toString('latin1'), '!<arch>\n');
  assert.ok(bytes.includes(Buffer.from('\0asm')), 'the archive holds wasm objects');
  // No emcc settings: clang would reject them.
  assert.deepEqual([...emccSettings([...cflags, ...libs]).keys()], []);
  for (const flag of [...cflags, ...libs].map((f) => f.replace(/^-I/, '')).filter((f) => path.isAbsolute(f))) {
    assert.ok(fs.existsSync(flag), flag);
  }
});

test('--target=wasi --wasm-opt: the Asyncify pass without imports that unwind, then the optimiser', () => {
  const args = wasi('--wasm-opt');
  assert.deepEqual(args, greenletConfig({ target: 'wasi' }).wasmOpt);
  const pass = args.indexOf('--asyncify');
  assert.ok(pass >= 0, args.join(' '));
  assert.ok(args.includes('--pass-arg=asyncify-ignore-imports'), args.join(' '));
  // Optimising first could inline runtime code into instrumented code (docs/wasm.md).
  const level = args.findIndex((a) => /^-O\d$/.test(a));
  assert.ok(level > pass, `the optimiser after the pass: ${args.join(' ')}`);
  // File names are the user's: none printed.
  assert.ok(!args.some((a) => a === '-o' || a.endsWith('.wasm')), args.join(' '));
});

test('--target=wasi --json: the WASI library\'s data and the tools that built it', () => {
  const json = JSON.parse(runOk(process.execPath, [configBin, '--target=wasi', '--json']));
  assert.deepEqual(json, greenletConfig({ target: 'wasi' }));
  assert.equal(json.target, 'wasi');
  assert.deepEqual(wasi('--version'), [json.version]);
  assert.deepEqual(wasi('--prefix'), [repoRoot]);
  assert.equal(json.binaryen, runOk('wasm-opt', ['--version']).match(/\d+/)[0]);
  assert.match(json.clang, /^\d+\.\d+\.\d+$/);
  assert.equal(json.buildType, 'Release');
  for (const emscriptenOnly of ['emscripten', 'esm', 'asyncifyRemove']) assert.ok(!(emscriptenOnly in json), emscriptenOnly);
});

test('examples/generator.c built with clang and the printed flags runs under node:wasi after the wasm-opt step', (t) => {
  const dir = tempDir(t, 'config-wasi');
  // Through a real shell, with failglob: the flags must survive unquoted
  // command substitution.
  const shell = (cmd, ...args) => {
    const r = run('bash', ['-c', `shopt -s failglob; ${cmd}`, 'bash', ...args], { cwd: dir });
    assert.equal(r.status, 0, `${cmd}\n${r.stderr}`);
  };
  shell('clang -O2 -Wall -Wextra -Werror "$1" $(node "$2" --target=wasi --cflags --libs) -o linked.wasm',
    generatorSource, configBin);
  // Linked but not yet instrumented: the Asyncify intrinsics are still
  // imports, which no WASI host provides.
  const raw = runWasi('linked.wasm', { cwd: dir });
  assert.notEqual(raw.status, 0);
  assert.match(raw.stderr, /asyncify/);

  shell('wasm-opt $(node "$1" --target=wasi --wasm-opt) linked.wasm -o app.wasm', configBin);
  const wasiRun = runWasi('app.wasm', { cwd: dir });
  assert.equal(wasiRun.status, 0, wasiRun.stderr);
  assert.equal(wasiRun.stderr, '');
  assert.match(wasiRun.stdout, /generator ok/);
  // The same program from the Emscripten library prints the same.
  assert.equal(wasiRun.stdout, emccGenerator(t, '--cflags --libs').stdout);
});

test('target errors exit 2 and say what to do', () => {
  const cases = [
    [['--target=wasm64', '--libs'], /unknown target "wasm64": --target=emscripten or --target=wasi/],
    [['--target', '--libs'], /--target needs a value: --target=emscripten or --target=wasi/],
    [['--target=wasi', '--target=emscripten', '--libs'], /one --target at a time/],
    [['--target=wasi', '--cflags', '--esm'], /--esm is for --target=emscripten only/],
    [['--target=wasi', '--asyncify-remove'], /--asyncify-remove is for --target=emscripten only/],
    [['--wasm-opt'], /--wasm-opt is for --target=wasi only \(the target is emscripten\)/],
    [['--target=wasi', '--libs', '--wasm-opt'], /ask for it alone/],
    [['--target=wasi', '--pthread', '--libs'], /--pthread is for --target=emscripten only/],
  ];
  for (const [args, message] of cases) {
    const r = run(process.execPath, [configBin, ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
  }
});

// The JS helper (js/index.mjs) in Node: its API surface against its
// declarations (js/index.d.ts, js/config.d.ts) and the package's exports
// map, every way of locating a module and its .wasm, the advice it gives for
// wrongly linked modules, and its call discipline (Promises for exports that
// may suspend, one suspended call at a time, abort). Wasm-only by nature.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';

import {
  awaitInGreenlet, buildConsumer, ensurePrebuilt, repoRoot, sumOfTotals,
} from './support.mjs';

const helperPath = path.join(repoRoot, 'js', 'index.mjs');
let dir;
let appMjs;

before(async () => {
  await ensurePrebuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'libgreenlet-helper-'));
  appMjs = buildConsumer(dir, 'app');
});

after(() => {
  if (!dir) return;
  if (process.env.GREENLET_KEEP_TMP) console.error(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
});

// Runtime names of a d.ts: its `export function|const NAME`.
// (A function with overloads is declared once per overload.)
const declaredExports = (file) => [...new Set([...fs.readFileSync(file, 'utf8')
  .matchAll(/^export (?:function|const) (\w+)/gm)].map((m) => m[1]))].sort();

// Members of an interface in a d.ts.
function declaredMembers(file, name) {
  const text = fs.readFileSync(file, 'utf8');
  const body = text.slice(text.indexOf(`export interface ${name} {`)).split('\n}')[0];
  return [...body.matchAll(/^ {2}(?:readonly )?(\w+)[(?:]/gm)].map((m) => m[1]).sort();
}

describe('API surface', () => {
  test('index.mjs exports what index.d.ts declares', async () => {
    const helper = await import(helperPath);
    assert.deepEqual(Object.keys(helper).sort(), declaredExports(path.join(repoRoot, 'js', 'index.d.ts')));
    assert.equal(typeof helper.loadGreenletModule, 'function');
  });

  test('config.mjs exports what config.d.ts declares', async () => {
    const config = await import(path.join(repoRoot, 'js', 'config.mjs'));
    assert.deepEqual(Object.keys(config).sort(), declaredExports(path.join(repoRoot, 'js', 'config.d.ts')));
    assert.deepEqual(Object.keys(config.greenletConfig()).sort(),
      declaredMembers(path.join(repoRoot, 'js', 'config.d.ts'), 'GreenletConfig'));
    assert.deepEqual(Object.keys(config.greenletConfig({ target: 'wasi' })).sort(),
      declaredMembers(path.join(repoRoot, 'js', 'config.d.ts'), 'GreenletWasiConfig'));
  });

  test('a loaded module has exactly the members GreenletModule declares', async () => {
    const { loadGreenletModule } = await import(helperPath);
    const app = await loadGreenletModule(appMjs, { module: { print() {} } });
    assert.deepEqual(Object.keys(app).sort(), declaredMembers(path.join(repoRoot, 'js', 'index.d.ts'), 'GreenletModule'));
    for (const method of ['call', 'callAsync', 'wrap', 'wrapAsync', 'idle']) assert.equal(typeof app[method], 'function');
    assert.equal(typeof app.module.ccall, 'function');
    assert.equal(app.busy, false);
  });

  test('the package resolves by name through its exports map', async () => {
    // Node lets a package import itself by name when it has "exports".
    const byName = await import('libgreenlet');
    const direct = await import(helperPath);
    assert.equal(byName.loadGreenletModule, direct.loadGreenletModule);
    const config = await import('libgreenlet/config');
    assert.equal(config.packageRoot, repoRoot);
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin),
      ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))];
    for (const target of targets) assert.ok(fs.existsSync(path.join(repoRoot, target)), target);
  });
});

describe('locating the module and its .wasm in Node', () => {
  const load = async (source, options = {}) => {
    const { loadGreenletModule } = await import(helperPath);
    const printed = [];
    const app = await loadGreenletModule(source, { ...options, module: { print: (s) => printed.push(s) } });
    return { app, printed };
  };
  const works = async (source, options) => {
    const { app, printed } = await load(source, options);
    assert.deepEqual(printed, ['got 1', 'got 2', 'got 3']); // main() ran
    assert.equal(app.call('sum_of_totals', 'number', ['number'], [3]), sumOfTotals(3));
  };

  test('by path, relative path, URL and file: URL string (the .wasm next to it)', async () => {
    await works(appMjs);
    await works(path.relative(process.cwd(), appMjs));
    await works(pathToFileURL(appMjs));
    await works(pathToFileURL(appMjs).href);
  });

  test('a factory with options.wasm as a path, a Buffer or an ArrayBuffer', async () => {
    const { default: factory } = await import(pathToFileURL(appMjs).href);
    const wasmPath = appMjs.replace(/\.mjs$/, '.wasm');
    await works(factory, { wasm: wasmPath });
    const bytes = fs.readFileSync(wasmPath);
    await works(factory, { wasm: bytes });
    await works(factory, { wasm: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) });
  });

  test('options.wasm overrides the sibling .wasm', async () => {
    const moved = path.join(dir, 'moved');
    fs.mkdirSync(moved, { recursive: true });
    fs.copyFileSync(appMjs, path.join(moved, 'app.mjs')); // no app.wasm next to it
    await works(path.join(moved, 'app.mjs'), { wasm: appMjs.replace(/\.mjs$/, '.wasm') });
  });

  test('a -sSINGLE_FILE=1 build needs no .wasm', async () => {
    const single = buildConsumer(dir, 'single', ['-sSINGLE_FILE=1']);
    assert.ok(!fs.existsSync(single.replace(/\.mjs$/, '.wasm')));
    await works(single);
  });

  test('a factory without options.wasm fails with a hint', async () => {
    const { default: factory } = await import(pathToFileURL(appMjs).href);
    await assert.rejects(load(factory), /hint: pass options\.wasm/);
  });

  test("a module linked for Node's environment fails with a hint", async () => {
    const nodeEnv = buildConsumer(dir, 'nodeenv', ['-sENVIRONMENT=web,worker,node']);
    await assert.rejects(load(nodeEnv), /hint:.*-sENVIRONMENT=web,worker/);
  });

  test('a module without a factory or without ccall fails with advice', async () => {
    const plain = path.join(dir, 'plain.mjs');
    fs.writeFileSync(plain, 'export const notAFactory = 1;\n');
    await assert.rejects(load(plain), /has no default export.*--esm/);
    const noCcall = buildConsumer(dir, 'noccall', ['-sEXPORTED_RUNTIME_METHODS=[]']);
    await assert.rejects(load(noCcall), /does not export ccall/);
  });
});

describe('calls', () => {
  const fresh = async (moduleArg = {}) => {
    const { loadGreenletModule } = await import(helperPath);
    return loadGreenletModule(appMjs, { module: { print() {}, printErr() {}, ...moduleArg } });
  };

  test('call and wrap return at once; strings come back as JS strings', async () => {
    const app = await fresh();
    assert.equal(app.call('sum_of_totals', 'number', ['number'], [5]), sumOfTotals(5));
    assert.equal(app.wrap('delivered_error', 'number', ['number'])(7), 7 * 10000 + 1007);
    assert.match(app.call('error_name', 'string', ['number'], [-3]), /^GREENLET_ENOMEM/);
    assert.throws(() => app.call('no_such_export'), /no_such_export is not exported/);
    assert.throws(() => app.callAsync('no_such_export'), /no_such_export is not exported/);
  });

  test('callAsync returns Promises, runs them one at a time, and call waits its turn', async () => {
    const app = await fresh();
    const inputs = [1, 2, 3];
    const pending = inputs.map((n) => app.callAsync('await_in_greenlet', 'number', ['number'], [n]));
    pending.push(app.wrapAsync('sum_of_totals', 'number', ['number'])(2)); // never suspends: still a Promise
    assert.ok(pending.every((p) => p instanceof Promise));
    assert.equal(app.busy, true);
    assert.throws(() => app.call('sum_of_totals', 'number', ['number'], [1]), /async call\(s\) are pending/);
    assert.deepEqual(await Promise.all(pending), [...inputs.map(awaitInGreenlet), sumOfTotals(2)]);
    await app.idle();
    assert.equal(app.busy, false);
    assert.equal(app.call('sum_of_totals', 'number', ['number'], [1]), sumOfTotals(1));
  });

  test('the arguments are taken when callAsync is called, not when the call runs', async () => {
    const app = await fresh();
    const args = [4];
    const first = app.callAsync('await_in_greenlet', 'number', ['number'], [1]);
    const second = app.callAsync('await_in_greenlet', 'number', ['number'], args);
    args[0] = 99;
    assert.deepEqual(await Promise.all([first, second]), [awaitInGreenlet(1), awaitInGreenlet(4)]);
  });

  test('call on an export that suspends throws and refuses later calls', async () => {
    const app = await fresh();
    assert.throws(() => app.call('await_in_greenlet', 'number', ['number'], [1]),
      /await_in_greenlet suspended inside call\(\).*use callAsync/);
    assert.throws(() => app.call('sum_of_totals', 'number', ['number'], [1]), /cannot call sum_of_totals: await_in_greenlet suspended/);
    assert.throws(() => app.callAsync('sum_of_totals'), /cannot call sum_of_totals/);
    // The suspended call finishes on its own later; nothing breaks meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  test('an abort rejects the running and the queued calls; later calls throw', async () => {
    const reasons = [];
    const app = await fresh({ onAbort: (reason) => reasons.push(String(reason)) });
    const running = app.callAsync('sleep_then_abort');
    const queued = app.callAsync('await_in_greenlet', 'number', ['number'], [1]);
    await assert.rejects(running, /the module aborted/);
    await assert.rejects(queued, /await_in_greenlet did not run: the module aborted/);
    assert.equal(reasons.length, 1, "the user's onAbort is called too");
    assert.throws(() => app.call('sum_of_totals', 'number', ['number'], [1]), /the module aborted/);
    assert.throws(() => app.callAsync('sum_of_totals'), /the module aborted/);
    await app.idle();
    assert.equal(app.busy, false);
  });
});

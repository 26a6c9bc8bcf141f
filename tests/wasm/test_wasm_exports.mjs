// Drives test_wasm_exports.c (wasm-only; see there) built with Emscripten
// (a .js module factory) or with clang for WASI (a .wasm reactor).
//   node --no-experimental-fetch test_wasm_exports.mjs <module.js|module.wasm>
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { WASI } from 'node:wasi';

async function load(file) {
  if (file.endsWith('.wasm')) {
    const wasi = new WASI({ version: 'preview1', args: [file], env: {}, returnOnExit: true });
    const { instance } = await WebAssembly.instantiate(await readFile(file), wasi.getImportObject());
    wasi.initialize(instance);
    const e = instance.exports;
    const str = (p) => {
      const bytes = new Uint8Array(e.memory.buffer, p);
      return new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
    };
    return { ...e, gen_state: () => str(e.gen_state()) };
  }
  const require = createRequire(import.meta.url);
  const M = await require(path.resolve(file))();
  return {
    gen_start: M._gen_start, gen_next: M._gen_next, gen_stop: M._gen_stop, ping_pong: M._ping_pong,
    gen_state: () => M.UTF8ToString(M._gen_state()),
  };
}

const m = await load(process.argv[2]);
assert.equal(m.gen_start(40), 40, 'first switch inside an export, value returned');
assert.equal(m.gen_state(), 'suspended');
assert.equal(m.gen_next(), 41, 'resumed in a later export call');
await new Promise((r) => setTimeout(r, 1)); // a JavaScript turn in between
assert.equal(m.gen_next(), 42);
assert.equal(m.gen_stop(), 0, 'killed from yet another export');
assert.equal(m.gen_state(), 'invalid');
assert.equal(m.ping_pong(0), 1000, 'deep ping-pong inside one export');
assert.equal(m.ping_pong(900), 1000);
assert.equal(m.gen_start(7), 7);
for (let i = 8; i < 15; i++) assert.equal(m.gen_next(), i);
assert.equal(m.gen_next(), -1, 'the generator finished: its result came back');
assert.equal(m.gen_state(), 'dead');
console.log('ok: switching inside exports, return values kept');

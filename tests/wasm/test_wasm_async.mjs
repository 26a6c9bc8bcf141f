// Drives test_wasm_async.c (Emscripten only; see there): each export that
// awaits inside a greenlet gives JavaScript a Promise of its result.
//   node --no-experimental-fetch test_wasm_async.mjs <module.js>
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const createModule = require(path.resolve(process.argv[2]));
const M = await createModule();

const pending = M.ccall('await_in_greenlet', 'number', ['number', 'number'], [2, 3], { async: true });
assert.ok(pending instanceof Promise, 'an export that awaits returns a Promise');
assert.equal(await pending, 20 * 1000 + 20 + 30);

const code = await M.ccall('rejection_becomes_an_error', 'number', [], [], { async: true });
assert.equal(code, 77, 'the rejection became greenlet error 77');
assert.equal(M.lastError, 'rejected -5');

// No await on this path: an ordinary synchronous call.
assert.equal(M.ccall('counter_value', 'number', [], []), 8);
console.log('ok: awaits inside greenlets, rejection as an error, switching afterwards');

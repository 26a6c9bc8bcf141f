// The benchmark's worker: runs bench.c (bench/wasm/switch_depth.c's
// measurements) off the page's thread, so the page stays responsive, and
// posts each point as it is measured.
//
// Message in: { depths, roundTrips, repetitions }. Messages out:
// { type: 'point', contender, depth, repetition, ns }, then { type: 'done' };
// { type: 'error', message } if anything fails.
import { loadGreenletModule } from './libgreenlet.mjs';

const CONTENDERS = ['libgreenlet', 'emscripten_fiber_swap'];
const ready = loadGreenletModule(new URL('./bench.mjs', import.meta.url));

// Through the raw module's ccall: each fiber swap unwinds to JavaScript and
// Emscripten's fiber trampoline rewinds it before ccall returns, which the
// helper's call() would take for a suspended export. The result therefore
// comes from a second export, not from the call.
function measure(module, contender, depth, roundTrips) {
  module.ccall('bench_measure', null, ['number', 'number', 'number'], [contender, depth, roundTrips]);
  return module.ccall('bench_last_ns', 'number', [], []);
}

self.onmessage = async ({ data: { depths, roundTrips, repetitions } }) => {
  try {
    const { module } = await ready;
    for (const depth of depths) for (const c of CONTENDERS.keys()) measure(module, c, depth, roundTrips); // warm-up
    for (let repetition = 0; repetition < repetitions; repetition++) {
      for (const depth of depths) {
        for (let k = 0; k < CONTENDERS.length; k++) {
          const contender = (k + repetition) % CONTENDERS.length; // alternate who goes first
          const ns = measure(module, contender, depth, roundTrips);
          if (!(ns > 0)) throw new Error(`${CONTENDERS[contender]} at depth ${depth}: no measurement (${ns})`);
          self.postMessage({ type: 'point', contender: CONTENDERS[contender], depth, repetition, ns });
        }
      }
    }
    self.postMessage({ type: 'done' });
  } catch (e) {
    self.postMessage({ type: 'error', message: String(e?.message ?? e) });
  }
};

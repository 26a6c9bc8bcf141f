// The web demo's entry point: loads the two modules the page shows at once
// (demo.wasm, gui.wasm) with the npm package's helper and wires each section.
// programs.wasm loads on the first run of an example, bench.wasm in the
// benchmark's worker. All greenlet work happens in C.
import { loadGreenletModule } from './libgreenlet.mjs';
import { setUpBench } from './bench-page.mjs';
import { setUpGui } from './gui-page.mjs';
import { setUpPrograms } from './programs-page.mjs';
import { showSource } from './source.mjs';
import { setUpWalkers } from './walkers-page.mjs';

const status = document.getElementById('status');

function fail(e) {
  status.className = 'status failed';
  status.textContent = `Error: ${e?.message ?? e}`;
  document.body.dataset.failed = String(e?.message ?? e);
}

/** action, with any error it throws (or its promise rejects with) shown on the page. */
function guarded(action) {
  return (...args) => {
    try {
      const result = action(...args);
      if (result && typeof result.then === 'function') result.catch(fail);
    } catch (e) {
      fail(e);
    }
  };
}

try {
  const t0 = performance.now();
  const [demo, gui] = await Promise.all(['./demo.mjs', './gui.mjs'].map((file) =>
    loadGreenletModule(new URL(file, import.meta.url))));
  // For the browser tests and the curious (devtools): the modules behind the page.
  window.libgreenletDemo = { demo, gui, programs: null };
  status.className = 'status ready';
  status.textContent = `Ready: demo.wasm and gui.wasm loaded in ${Math.round(performance.now() - t0)} ms. ` +
    'Every switch below happens inside WebAssembly.';
  setUpGui(gui, guarded);
  setUpWalkers(demo, guarded);
  setUpPrograms(guarded);
  setUpBench(guarded);
  guarded(() => showSource(document.getElementById('gui-source'), 'gui.c'))();
  document.body.dataset.readyMs = String(Math.round(performance.now())); // since navigation started
  document.body.dataset.ready = 'true';
} catch (e) {
  status.className = 'status failed';
  status.textContent = `Could not start the demo: ${e.message}`;
  document.body.dataset.failed = e.message;
}

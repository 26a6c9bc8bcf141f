// libgreenlet's JavaScript helper: loads a program built with emcc and
// `libgreenlet-config --libs --esm` in Node 20 and in browsers, and calls its
// exports, returning Promises for those that may suspend (emscripten_sleep or
// an EM_ASYNC_JS function awaited inside a greenlet). API: js/index.d.ts.
//
// Loading quirks handled here (Emscripten 3.1.6, see docs in README.md):
// - Node 20 has a global fetch, which cannot read file: URLs, so the emitted
//   loader fails to fetch its .wasm: in Node we read the file and pass its
//   bytes as Module.wasmBinary.
// - In a browser the module fetches its .wasm itself, next to the .mjs (from
//   import.meta.url); options.wasm redirects it through Module.locateFile.
// - A module with the .wasm inlined (-sSINGLE_FILE=1) needs neither.
//
// Emscripten's Asyncify runs one suspended call at a time: a second call into
// the module while one is suspended would corrupt both. callAsync() therefore
// queues calls and call() refuses to run while any is pending.

const inNode = typeof process === 'object' && process?.versions?.node != null && typeof window === 'undefined';

// Node built-ins, imported only in Node so that browsers never see them.
async function nodeModules() {
  const [fs, url, path] = await Promise.all([
    import(/* webpackIgnore: true */ 'node:fs/promises'),
    import(/* webpackIgnore: true */ 'node:url'),
    import(/* webpackIgnore: true */ 'node:path'),
  ]);
  return { fs, url, path };
}

const hasScheme = (s) => /^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[a-z]:[\\/]/i.test(s); // not "C:\"

// A URL for a module or wasm location given as URL, URL string or file path.
async function toUrl(location) {
  if (location instanceof URL) return location;
  if (typeof location !== 'string') throw new TypeError('libgreenlet: expected a URL, a path or a factory function');
  if (hasScheme(location)) return new URL(location);
  if (inNode) {
    const { url, path } = await nodeModules();
    return url.pathToFileURL(path.resolve(location));
  }
  return new URL(location, globalThis.document?.baseURI ?? globalThis.location?.href);
}

// app.mjs -> app.wasm: where emcc puts the binary of a non-SINGLE_FILE build.
function siblingWasm(moduleUrl) {
  const url = new URL(moduleUrl);
  url.pathname = url.pathname.replace(/(\.m?js)?$/, '.wasm');
  url.search = '';
  url.hash = '';
  return url;
}

async function readBytes(url) {
  if (url.protocol === 'file:') {
    const { fs, url: nodeUrl } = await nodeModules();
    return new Uint8Array(await fs.readFile(nodeUrl.fileURLToPath(url)));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`libgreenlet: fetching ${url} failed: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const isBytes = (x) => x instanceof ArrayBuffer || ArrayBuffer.isView(x);
const asUint8 = (x) => (x instanceof ArrayBuffer ? new Uint8Array(x) : new Uint8Array(x.buffer, x.byteOffset, x.byteLength));

// The Module properties that make the .wasm load where we are running.
async function wasmOverrides(moduleUrl, wasm) {
  if (isBytes(wasm)) return { wasmBinary: asUint8(wasm) };
  if (inNode) {
    if (wasm != null) return { wasmBinary: await readBytes(await toUrl(wasm)) };
    if (!moduleUrl) return {}; // a factory without options.wasm: SINGLE_FILE, or it fails with advice below
    try {
      return { wasmBinary: await readBytes(siblingWasm(moduleUrl)) };
    } catch (e) {
      if (e.code === 'ENOENT') return {}; // no sibling .wasm: a SINGLE_FILE build
      throw e;
    }
  }
  if (wasm == null) return {}; // the browser fetches it next to the module
  const wasmUrl = await toUrl(wasm);
  return { locateFile: (file, dir) => (file.endsWith('.wasm') ? wasmUrl.href : dir + file) };
}

async function factoryFrom(source) {
  if (typeof source === 'function') return { factory: source, moduleUrl: null };
  const moduleUrl = await toUrl(source);
  const namespace = await import(/* webpackIgnore: true */ moduleUrl.href);
  if (typeof namespace.default !== 'function') {
    throw new Error(`libgreenlet: ${moduleUrl} has no default export; link it with ` +
      '`libgreenlet-config --esm` (-sMODULARIZE=1 -sEXPORT_ES6=1)');
  }
  return { factory: namespace.default, moduleUrl };
}

// Emscripten's own errors say what failed, not what to do about it.
function withAdvice(error, moduleUrl) {
  const message = String(error?.message ?? error);
  let advice = null;
  if (/__dirname|require is not defined/.test(message)) {
    advice = "the module was linked for Node's CommonJS environment; link with `libgreenlet-config --esm` " +
      '(-sENVIRONMENT=web,worker), whose output the helper loads in Node too';
  } else if (inNode && /fetch failed|Failed to parse URL|both async and sync fetching/i.test(message)) {
    advice = moduleUrl ? `its .wasm was not found next to ${moduleUrl}; pass options.wasm`
      : 'pass options.wasm (the .wasm path, URL or bytes) when giving a factory in Node';
  }
  if (!advice) return error;
  return new Error(`libgreenlet: loading the module failed: ${message}\n  hint: ${advice}`, { cause: error });
}

/**
 * Loads an emcc-built ES module and returns a GreenletModule (see index.d.ts).
 * @param {Function|string|URL} source the module factory, or the .mjs location
 * @param {{wasm?: string|URL|ArrayBuffer|ArrayBufferView, module?: object}} [options]
 */
export async function loadGreenletModule(source, options = {}) {
  const { factory, moduleUrl } = await factoryFrom(source);
  const userModule = options.module ?? {};
  // Shared with the call functions: why the module cannot be called any more
  // (null while it can), the reject functions of calls not settled yet, and
  // how many times Emscripten's Asyncify started to unwind to JavaScript.
  const state = { unusable: null, pending: new Set(), unwinds: 0 };
  const onAbort = (reason) => {
    state.unusable = `the module aborted: ${String(reason || 'Aborted()')}`; // abort() from C gives no reason
    const error = new Error(`libgreenlet: ${state.unusable}`);
    for (const reject of state.pending) reject(error);
    state.pending.clear();
    userModule.onAbort?.(reason);
  };
  let module;
  try {
    module = await factory({ ...userModule, ...(await wasmOverrides(moduleUrl, options.wasm)), onAbort });
  } catch (e) {
    throw withAdvice(e, moduleUrl);
  }
  if (typeof module.ccall !== 'function') {
    throw new Error('libgreenlet: the module does not export ccall; link with `libgreenlet-config --esm` ' +
      '(-sEXPORTED_RUNTIME_METHODS=ccall,cwrap)');
  }
  // Emscripten's JS starts each of its unwinds (emscripten_sleep, EM_ASYNC_JS)
  // through this Module property; greenlet switches never do (they stay in
  // wasm). Counting them tells call() that an export suspended.
  const startUnwind = module._asyncify_start_unwind;
  if (typeof startUnwind === 'function') {
    module._asyncify_start_unwind = (...args) => { state.unwinds++; return startUnwind(...args); };
  }
  return createGreenletModule(module, state);
}

function createGreenletModule(module, state) {
  let queue = Promise.resolve();
  let outstanding = 0;

  const checkUsable = (name) => {
    if (state.unusable !== null) throw new Error(`libgreenlet: cannot call ${name}: ${state.unusable}`);
    if (typeof module[`_${name}`] !== 'function') {
      throw new Error(`libgreenlet: ${name} is not exported; add _${name} to -sEXPORTED_FUNCTIONS ` +
        'or mark it EMSCRIPTEN_KEEPALIVE');
    }
  };

  function call(name, returnType = 'number', argTypes = [], args = []) {
    checkUsable(name);
    if (outstanding > 0) {
      throw new Error(`libgreenlet: ${name} called while ${outstanding} async call(s) are pending; ` +
        'the C side is suspended inside one of them: await it, or use callAsync, which queues');
    }
    const unwinds = state.unwinds;
    const result = module.ccall(name, returnType, argTypes, args);
    if (state.unwinds !== unwinds) {
      // Its result is lost, and it goes on later on its own: nothing may call
      // into the module meanwhile, and we cannot tell when it ends.
      state.unusable = `${name} suspended inside call() (emscripten_sleep or EM_ASYNC_JS), which loses its ` +
        'result and leaves the module mid-call; use callAsync for exports that may suspend';
      throw new Error(`libgreenlet: ${state.unusable}`);
    }
    return result;
  }

  function callAsync(name, returnType = 'number', argTypes = [], args = []) {
    checkUsable(name);
    outstanding++;
    const result = new Promise((resolve, reject) => {
      queue.then(() => {
        if (state.unusable !== null) throw new Error(`libgreenlet: ${name} did not run: ${state.unusable}`);
        state.pending.add(reject);
        return module.ccall(name, returnType, argTypes, args, { async: true });
      }).then(resolve, reject).finally(() => state.pending.delete(reject));
    });
    queue = result.then(() => {}, () => {}).finally(() => { outstanding--; });
    return result;
  }

  return {
    module,
    call,
    // A copy of args: the caller may reuse its array while the call waits its turn.
    callAsync: (name, returnType, argTypes, args) => callAsync(name, returnType, argTypes, args ? [...args] : []),
    wrap: (name, returnType, argTypes) => (...args) => call(name, returnType, argTypes, args),
    wrapAsync: (name, returnType, argTypes) => (...args) => callAsync(name, returnType, argTypes, args),
    idle: () => queue,
    get busy() { return outstanding > 0; },
  };
}

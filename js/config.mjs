// Where the installed package keeps its header and prebuilt wasm library, and
// the emcc flags to use them. Shared by bin/libgreenlet-config.mjs and by build
// tools (`import { greenletConfig } from 'libgreenlet/config'`). Node only.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// What js/index.mjs needs from the emcc output: an ES module whose default
// export is the module factory, that runs in browsers, workers and (given the
// .wasm bytes, which the helper passes) Node, with ccall/cwrap for calling
// exports that may suspend. Emscripten 3.1.6's Node branch does not work in
// an ES module (it uses __dirname and require), hence no "node" environment.
export const esmFlags = Object.freeze([
  '-sMODULARIZE=1',
  '-sEXPORT_ES6=1',
  '-sENVIRONMENT=web,worker',
  '-sEXPORTED_RUNTIME_METHODS=ccall,cwrap',
]);

// Reads js/prebuilt/flags.json (written by js/build-lib.mjs) with "{prefix}"
// replaced by the package's location. Throws with advice when it is missing.
export function greenletConfig() {
  const file = path.join(packageRoot, 'js', 'prebuilt', 'flags.json');
  let raw;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`libgreenlet: cannot read ${file} (${e.code ?? e.message}). In a git checkout, ` +
      'build the prebuilt library first: node js/build-lib.mjs');
  }
  const expand = (list) => list.map((flag) => flag.split('{prefix}').join(packageRoot));
  return {
    version: raw.version,
    emscripten: raw.emscripten,
    buildType: raw.buildType,
    prefix: packageRoot,
    includeDir: path.join(packageRoot, 'include'),
    library: path.join(packageRoot, 'js', 'prebuilt', 'libgreenlet.a'),
    cflags: expand(raw.cflags),
    libs: expand(raw.libs),
    esm: [...esmFlags],
  };
}

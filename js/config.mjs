// Where the installed package keeps its header and prebuilt wasm libraries,
// and the flags to use them: emcc's (target "emscripten", the default) or
// plain clang's plus a wasm-opt step (target "wasi"). Shared by
// bin/libgreenlet-config.mjs and by build tools
// (`import { greenletConfig } from 'libgreenlet/config'`). Node only.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The prebuilt libraries, one directory each (libgreenlet.a and flags.json,
// written by js/build-lib.mjs, which builds one per entry), the target each
// is for, and whether it is for programs with threads (emcc -pthread). A new
// variant is one more entry here and in build-lib.mjs.
export const variants = Object.freeze({
  emscripten: Object.freeze({ target: 'emscripten', threads: false, dir: 'js/prebuilt' }),
  'emscripten-pthread': Object.freeze({ target: 'emscripten', threads: true, dir: 'js/prebuilt/pthread' }),
  wasi: Object.freeze({ target: 'wasi', threads: false, dir: 'js/prebuilt/wasi' }),
});
export const targets = Object.freeze([...new Set(Object.values(variants).map((v) => v.target))]);
export const defaultTarget = 'emscripten';

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

// Emscripten libc functions that can never be on a greenlet's stack when it
// switches, for -sASYNCIFY_REMOVE (`libgreenlet-config --asyncify-remove`).
// Binaryen's Asyncify instruments every function that makes an indirect call,
// and every caller of one, since it cannot know that the call never leads to a
// switch. The printf engine is such a function for libc-internal reasons only:
//   - __fwritex and __vfprintf_internal call the FILE's write method. For every
//     stream libc opens itself (stdout, stderr, fopen, the string streams of
//     snprintf) that is a libc function ending in a synchronous fd_write or a
//     memcpy, which cannot switch. Only fopencookie() installs functions of
//     the program's own (see docs/wasm.md for that exception).
//   - printf_core and pop_arg (a static function of printf) call fmt_fp and
//     pop_arg_long_double through pointers that vfprintf passes: libc's own
//     float formatting, chosen at link time. musl has no printf hooks (no
//     register_printf_function), so no conversion calls back into the program.
//   - fiprintf, snprintf and vsnprintf only call the above (emcc turns a
//     float-free fprintf into fiprintf); listed because Binaryen's inliner may
//     move the indirect calls up into them.
// Callers of these (printf, puts, fwrite...) are then left alone too. Names
// are matched against every function of the program: a function of yours
// named like one of these (pop_arg is the only ordinary-looking name) would be
// removed too, so it must not switch either. Every
// name here is in every program that links libgreenlet (the library formats
// its own messages with them), so Binaryen never warns that one is missing.
// Not here, and never to be removed while a callback may switch: qsort,
// bsearch, tsearch/twalk, lsearch/lfind, atexit handlers (exit), pthread_once,
// nftw, glob, scandir, signal handlers (raise), dynCall_* (JavaScript calling
// function pointers). Not here because they are never instrumented: memcpy,
// strlen, malloc and everything else that makes no indirect call.
export const asyncifyRemoveList = Object.freeze([
  '__fwritex',
  '__vfprintf_internal',
  'printf_core',
  'pop_arg',
  'fiprintf',
  'snprintf',
  'vsnprintf',
]);

// What each target adds to the common fields, from its flags.json.
const targetFields = {
  emscripten: (raw) => ({
    emscripten: raw.emscripten,
    esm: [...esmFlags],
    asyncifyRemove: [...asyncifyRemoveList],
  }),
  wasi: (raw) => ({
    clang: raw.clang,
    binaryen: raw.binaryen,
    wasmOpt: [...raw.wasmOpt],
  }),
};

// The variant that serves a target, with or without threads.
function variantFor(target, threads) {
  if (!targets.includes(target)) {
    throw new Error(`libgreenlet: unknown target "${target}" (known: ${targets.join(', ')})`);
  }
  const name = Object.keys(variants).find((n) => variants[n].target === target && variants[n].threads === threads);
  if (name === undefined) throw new Error(`libgreenlet: no library with threads for target "${target}"`);
  return variants[name];
}

// Reads the target's flags.json (written by js/build-lib.mjs) with "{prefix}"
// replaced by the package's location. Throws with advice when it is missing.
export function greenletConfig({ target = defaultTarget, threads = false } = {}) {
  const variant = variantFor(target, threads);
  const dir = path.join(packageRoot, ...variant.dir.split('/'));
  const file = path.join(dir, 'flags.json');
  let raw;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`libgreenlet: cannot read ${file} (${e.code ?? e.message}). In a git checkout, ` +
      'build the prebuilt library first: node js/build-lib.mjs');
  }
  const expand = (list) => list.map((flag) => flag.split('{prefix}').join(packageRoot));
  return {
    target,
    threads,
    version: raw.version,
    buildType: raw.buildType,
    prefix: packageRoot,
    includeDir: path.join(packageRoot, 'include'),
    library: path.join(dir, 'libgreenlet.a'),
    cflags: expand(raw.cflags),
    libs: expand(raw.libs),
    ...targetFields[target](raw),
  };
}

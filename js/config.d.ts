// Types of 'libgreenlet/config' (js/config.mjs): the package's flags for build
// tools written in JavaScript, per target (emcc's, or plain clang's plus a
// wasm-opt step). Node only.

/** What a prebuilt library is for: emcc, or plain clang --target=wasm32-wasi. */
export type GreenletTarget = 'emscripten' | 'wasi';

/** `greenletConfig()`, `greenletConfig({ target: 'emscripten' })`: the library for emcc. */
export interface GreenletConfig {
  /** 'emscripten'. */
  target: 'emscripten';
  /** For programs linked with emcc -pthread (`--pthread`): then cflags and libs carry -pthread. */
  threads: boolean;
  /** libgreenlet version of the prebuilt library. */
  version: string;
  /** Emscripten version that built it (link with the same one). */
  emscripten: string;
  /** CMake build type of the prebuilt library. */
  buildType: string;
  /** The installed package's directory. */
  prefix: string;
  /** Directory holding greenlet.h. */
  includeDir: string;
  /** The prebuilt static library (js/prebuilt/libgreenlet.a, or js/prebuilt/pthread/libgreenlet.a, wasm32). */
  library: string;
  /** Compile flags (`libgreenlet-config --cflags`). */
  cflags: string[];
  /** Link flags: the library and what its Asyncify backend needs (`--libs`). */
  libs: string[];
  /** Link flags for an ES module the helper loads (`--esm`). */
  esm: string[];
  /** libc functions that never switch, for `-sASYNCIFY_REMOVE` (`--asyncify-remove`). */
  asyncifyRemove: string[];
}

/** `greenletConfig({ target: 'wasi' })`: the library for plain clang and wasi-libc. */
export interface GreenletWasiConfig {
  /** 'wasi'. */
  target: 'wasi';
  /** false: WASI has no threads here. */
  threads: false;
  /** libgreenlet version of the prebuilt library. */
  version: string;
  /** clang version that built it. */
  clang: string;
  /** Binaryen version of the wasm-opt that CMake's build runs (Asyncify needs a recent one). */
  binaryen: string;
  /** CMake build type of the prebuilt library. */
  buildType: string;
  /** The installed package's directory. */
  prefix: string;
  /** Directory holding greenlet.h. */
  includeDir: string;
  /** The prebuilt static library (js/prebuilt/wasi/libgreenlet.a, wasm32-wasi). */
  library: string;
  /** Compile flags: clang's --target and the include directory (`--target=wasi --cflags`). */
  cflags: string[];
  /** Link flags: clang's --target and the library (`--target=wasi --libs`). */
  libs: string[];
  /** Arguments of the wasm-opt run that must follow every link, without the file names:
   *  `wasm-opt ...wasmOpt app.wasm -o app.wasm` (`--target=wasi --wasm-opt`). */
  wasmOpt: string[];
}

/** One prebuilt library of the package: the target it serves and its directory
 *  (package-relative, holding libgreenlet.a and flags.json). */
export interface GreenletVariant {
  readonly target: GreenletTarget;
  /** For programs with threads (emcc -pthread). */
  readonly threads: boolean;
  readonly dir: string;
}

/** The package's directory. */
export const packageRoot: string;
/** The prebuilt libraries, by name. */
export const variants: Readonly<Record<string, GreenletVariant>>;
/** The targets `greenletConfig()` and `libgreenlet-config --target=` accept. */
export const targets: readonly GreenletTarget[];
/** 'emscripten'. */
export const defaultTarget: GreenletTarget;
/** `-sMODULARIZE=1 -sEXPORT_ES6=1 -sENVIRONMENT=web,worker -sEXPORTED_RUNTIME_METHODS=ccall,cwrap`. */
export const esmFlags: readonly string[];
/** libc's printf engine, which can never be on a greenlet's stack when it switches:
 *  safe in `-sASYNCIFY_REMOVE` (docs/wasm.md). */
export const asyncifyRemoveList: readonly string[];
/** Reads a prebuilt library's flags (default target: emscripten, without
 *  threads); throws with advice when it is missing, for an unknown target,
 *  and for threads on a target without them (wasi). */
export function greenletConfig(options?: { target?: 'emscripten'; threads?: boolean }): GreenletConfig;
export function greenletConfig(options: { target: 'wasi'; threads?: false }): GreenletWasiConfig;
export function greenletConfig(options: { target?: GreenletTarget; threads?: boolean }): GreenletConfig | GreenletWasiConfig;

// Types of 'libgreenlet/config' (js/config.mjs): the package's emcc flags for
// build tools written in JavaScript. Node only.

export interface GreenletConfig {
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
  /** The prebuilt static library (libgreenlet.a, wasm32). */
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

/** The package's directory. */
export const packageRoot: string;
/** `-sMODULARIZE=1 -sEXPORT_ES6=1 -sENVIRONMENT=web,worker -sEXPORTED_RUNTIME_METHODS=ccall,cwrap`. */
export const esmFlags: readonly string[];
/** libc's printf engine, which can never be on a greenlet's stack when it switches:
 *  safe in `-sASYNCIFY_REMOVE` (docs/wasm.md). */
export const asyncifyRemoveList: readonly string[];
/** Reads the prebuilt library's flags; throws with advice when it is missing. */
export function greenletConfig(): GreenletConfig;

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
}

/** The package's directory. */
export const packageRoot: string;
/** `-sMODULARIZE=1 -sEXPORT_ES6=1 -sENVIRONMENT=web,worker -sEXPORTED_RUNTIME_METHODS=ccall,cwrap`. */
export const esmFlags: readonly string[];
/** Reads the prebuilt library's flags; throws with advice when it is missing. */
export function greenletConfig(): GreenletConfig;

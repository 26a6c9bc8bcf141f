// Types of libgreenlet's JavaScript helper (js/index.mjs).
//
// Build the program with the package's flags, exporting what JS calls:
//   emcc app.c $(npx libgreenlet-config --cflags --libs --esm) \
//        -sEXPORTED_FUNCTIONS=_main,_run_jobs -o app.mjs
// then:
//   const app = await loadGreenletModule(new URL('./app.mjs', import.meta.url));
//   const total = await app.callAsync('run_jobs', 'number', ['number'], [8]);

/** ccall/cwrap argument and return types: numbers (also pointers), JS strings
 *  (copied to the C stack for the call / read back from a char *), booleans,
 *  byte arrays (arguments only); null for void. */
export type CType = 'number' | 'string' | 'boolean' | 'array' | null;

/** The Emscripten Module object, as created by the emcc factory. */
export interface EmscriptenModule {
  ccall(name: string, returnType: CType, argTypes: CType[], args: unknown[], opts?: { async?: boolean }): any;
  cwrap(name: string, returnType: CType, argTypes: CType[], opts?: { async?: boolean }): (...args: any[]) => any;
  HEAPU8?: Uint8Array;
  HEAP32?: Int32Array;
  [key: string]: any;
}

/** A default export of an emcc `-sMODULARIZE=1 -sEXPORT_ES6=1` module. */
export type EmscriptenModuleFactory = (moduleArg?: Record<string, unknown>) => Promise<EmscriptenModule>;

export interface LoadOptions {
  /**
   * The program's .wasm: a path (Node), a URL, or its bytes. Default: the file
   * next to the .mjs with the extension .wasm when `source` is a location
   * (Node reads it and passes it as wasmBinary; a browser fetches it itself);
   * none for a -sSINGLE_FILE=1 build. Required in Node when `source` is a
   * factory of a build with a separate .wasm.
   */
  wasm?: string | URL | ArrayBuffer | ArrayBufferView;
  /**
   * Extra Module properties for the factory: print, printErr, arguments,
   * noInitialRun, ... An onAbort given here is still called.
   */
  module?: Record<string, unknown>;
}

export interface GreenletModule {
  /** The underlying Emscripten Module (HEAP views, _exports, ccall...). */
  readonly module: EmscriptenModule;
  /**
   * Calls an export that never suspends; returns its result at once. Throws
   * while a callAsync() is pending (the C side is suspended inside it) and
   * when the export does not exist. If the export suspends all the same, its
   * result is lost: call() throws, and the module refuses every later call.
   */
  call(name: string, returnType?: CType, argTypes?: CType[], args?: unknown[]): any;
  /**
   * Calls an export that may suspend (emscripten_sleep, an EM_ASYNC_JS
   * function, in any greenlet) and returns a Promise of its result. Calls are
   * queued: each starts after the previous one settled, because Asyncify runs
   * one suspended call at a time. Rejects if the call throws or the module
   * aborts.
   */
  callAsync(name: string, returnType?: CType, argTypes?: CType[], args?: unknown[]): Promise<any>;
  /** `(...args) => call(name, returnType, argTypes, args)`. */
  wrap(name: string, returnType?: CType, argTypes?: CType[]): (...args: any[]) => any;
  /** `(...args) => callAsync(name, returnType, argTypes, args)`. */
  wrapAsync(name: string, returnType?: CType, argTypes?: CType[]): (...args: any[]) => Promise<any>;
  /** Resolves when every call queued so far has settled (never rejects). */
  idle(): Promise<void>;
  /** true while a callAsync() is queued or running. */
  readonly busy: boolean;
}

/**
 * Loads an emcc-built ES module in Node 20 or a browser.
 * @param source the module's default-export factory, or the .mjs location
 *   (URL, URL string, or in Node a file path).
 * Rejects with a hint when the module was linked without the flags of
 * `libgreenlet-config --esm` or its .wasm cannot be found.
 */
export function loadGreenletModule(
  source: EmscriptenModuleFactory | string | URL,
  options?: LoadOptions,
): Promise<GreenletModule>;

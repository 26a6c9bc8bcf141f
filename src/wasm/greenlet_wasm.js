// emcc --js-library for libgreenlet's WebAssembly backend.
//
// The asyncify.* imports of src/wasm/asyncify.h are replaced by Binaryen's
// asyncify pass with direct calls; these stubs only satisfy emcc's check for
// undefined symbols and are never called.
//
// The backend cannot work with Binaryen's asyncify-asserts, which emcc adds
// whenever ASSERTIONS is on (the default at -O0): they trap in any
// uninstrumented function that changes the Asyncify state, and the switch
// does exactly that. Fail the link with an explanation instead of a trap at
// run time (docs/wasm.md).
#if ASSERTIONS
{{{ (function () { throw new Error('libgreenlet needs -sASSERTIONS=0: Binaryen\'s asyncify-asserts, which ASSERTIONS turns on, trap in the greenlet switch (see docs/wasm.md)'); })() }}}
#endif
#if !ASYNCIFY
{{{ (function () { throw new Error('libgreenlet needs -sASYNCIFY=1 (see docs/wasm.md)'); })() }}}
#endif

mergeInto(LibraryManager.library, {
  start_unwind: function() { abort('libgreenlet: asyncify.start_unwind was not replaced by the asyncify pass'); },
  stop_unwind: function() { abort('libgreenlet: asyncify.stop_unwind was not replaced by the asyncify pass'); },
  start_rewind: function() { abort('libgreenlet: asyncify.start_rewind was not replaced by the asyncify pass'); },
  stop_rewind: function() { abort('libgreenlet: asyncify.stop_rewind was not replaced by the asyncify pass'); },
  // Whether Emscripten's own Asyncify is rewinding (emscripten_sleep...): asked
  // only while one of its unwinds has passed through greenlet_switch() and not
  // come back (src/wasm/switch_inline.h).
  glet_wasm_foreign_rewinding__deps: ['$Asyncify'],
  glet_wasm_foreign_rewinding: function() { return Asyncify.state === Asyncify.State.Rewinding; },
});

#!/usr/bin/env bash
# Builds and runs bench/wasm/switch_depth.c with emcc -O2 (by hand, not by
# ctest): libgreenlet's switch against emscripten_fiber_swap at call depths
# 0, 8, 32 and 128, in one Node run; then the .wasm size of
# examples/generator.c with and without the Asyncify instrumentation.
# Output: build/wasm-bench/ (or $1).
set -eu
cd "$(dirname "$0")/../.."
out=${1:-build/wasm-bench}
. scripts/lib.sh # NODE_PATH for emcc
mkdir -p "$out"
emcmake cmake -S . -B "$out/lib" -DCMAKE_BUILD_TYPE=Release -DGREENLET_BUILD_TESTS=OFF \
  -DGREENLET_BUILD_EXAMPLES=OFF -DGREENLET_BUILD_BENCH=OFF >"$out/configure.log" 2>&1
cmake --build "$out/lib" -j2 >"$out/build.log" 2>&1
flags=(-O2 -Iinclude -sASYNCIFY=1 -sASSERTIONS=0 -sALLOW_MEMORY_GROWTH=1 --js-library src/wasm/greenlet_wasm.js)
emcc "${flags[@]}" bench/wasm/switch_depth.c "$out/lib/libgreenlet.a" -o "$out/switch_depth.js"
echo "== ns per switch (best of 5 runs of 100000 round trips), Node $(node --version)"
node --no-experimental-fetch "$out/switch_depth.js"

echo "== .wasm size of examples/generator.c (emcc -O2)"
emcc "${flags[@]}" examples/generator.c "$out/lib/libgreenlet.a" -o "$out/generator.js"
# Without the pass (the program cannot switch then; this only measures it).
emcc -O2 -Iinclude -sERROR_ON_UNDEFINED_SYMBOLS=0 examples/generator.c "$out/lib/libgreenlet.a" \
  -o "$out/generator-noasyncify.js" 2>/dev/null
echo "with Asyncify:    $(stat -c %s "$out/generator.wasm") bytes"
echo "without Asyncify: $(stat -c %s "$out/generator-noasyncify.wasm") bytes"

#!/usr/bin/env bash
# Builds bench/wasm/switch_depth.c with emcc -O2 (by hand, not by ctest) and
# runs it: libgreenlet's switch against emscripten_fiber_swap at call depths
# 0, 8, 32 and 128, interleaved, under Node and, with --chromium, also in
# headless Chromium (bench/wasm/chromium.mjs). With --size, the .wasm size of
# examples/generator.c with and without the Asyncify instrumentation.
#
# Usage: bash bench/wasm/run.sh [--chromium] [--size] [OUT [REPETITIONS [ROUNDS]]]
#   OUT: build folder (default build/wasm-bench); REPETITIONS default 11.
# stdout: JSON lines only, one per (runtime, contender, depth):
#   {"bench":"wasm_switch","runtime":"node","contender":"libgreenlet","depth":0,"ns":[...]}
# stderr: build steps and a readable summary (medians, min-max, ratio).
set -eu
cd "$(dirname "$0")/../.."
chromium=0 size=0
while [ $# -gt 0 ]; do
  case $1 in
    --chromium) chromium=1; shift ;;
    --size) size=1; shift ;;
    *) break ;;
  esac
done
out=${1:-build/wasm-bench}
reps=${2:-11}
rounds=${3:-100000}
. scripts/lib.sh # NODE_PATH for emcc
mkdir -p "$out"
emcmake cmake -S . -B "$out/lib" -DCMAKE_BUILD_TYPE=Release -DGREENLET_BUILD_TESTS=OFF \
  -DGREENLET_BUILD_EXAMPLES=OFF -DGREENLET_BUILD_BENCH=OFF >"$out/configure.log" 2>&1
cmake --build "$out/lib" -j2 >"$out/build.log" 2>&1
# The library's own link flags (src/wasm/backend.cmake), and a module that
# loads in Node and in a page.
flags=(-O2 -Iinclude -sASYNCIFY=1 -sASSERTIONS=0 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB
  --js-library src/wasm/greenlet_wasm.js)
emcc "${flags[@]}" -sENVIRONMENT=web,node bench/wasm/switch_depth.c "$out/lib/libgreenlet.a" \
  -o "$out/switch_depth.js"
echo "== bench/wasm: Node $(node --version), $reps repetitions of $rounds round trips" >&2
node --no-experimental-fetch "$out/switch_depth.js" "$reps" "$rounds"
if [ $chromium = 1 ]; then
  echo "== bench/wasm: $(/usr/bin/chromium --version 2>/dev/null || echo chromium)" >&2
  node bench/wasm/chromium.mjs "$out" "$reps" "$rounds"
fi

if [ $size = 1 ]; then
  echo "== .wasm size of examples/generator.c (emcc -O2)" >&2
  emcc "${flags[@]}" examples/generator.c "$out/lib/libgreenlet.a" -o "$out/generator.js"
  # Without the pass (the program cannot switch then; this only measures it).
  emcc -O2 -Iinclude -sERROR_ON_UNDEFINED_SYMBOLS=0 examples/generator.c "$out/lib/libgreenlet.a" \
    -o "$out/generator-noasyncify.js" 2>/dev/null
  echo "with Asyncify:    $(stat -c %s "$out/generator.wasm") bytes" >&2
  echo "without Asyncify: $(stat -c %s "$out/generator-noasyncify.wasm") bytes" >&2
fi

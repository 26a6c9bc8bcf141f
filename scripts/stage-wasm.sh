#!/usr/bin/env bash
# The C suite as WebAssembly, under Node: emcc at -O0 and -O2 (Emscripten
# 3.1.6), the threads variant (-DGREENLET_WASM_THREADS=ON, emcc -pthread) at
# -O2 with the thread tests and the thread stress (each thread a Web Worker)
# and both libraries installed into one prefix,
# and plain clang --target=wasm32-wasi + wasm-opt --asyncify at -O0 and -O2
# (run with node:wasi). Build trees: build/wasm-<config>.
# GREENLET_WASM_BUILD_ROOT moves them elsewhere (default: build).
set -u
cd "$(dirname "$0")/.."
. scripts/lib.sh
root=${GREENLET_WASM_BUILD_ROOT:-build}
failed=0

run_config() { # name source-dir configure-command...
  local name=$1 source=$2; shift 2
  local dir=$root/wasm-$name
  echo "== wasm $name"
  rm -rf "$dir"
  build_and_test "wasm $name" "$dir" "$dir.log" --timeout 300 -- "$@" -S "$source" || failed=1
}

emscripten() { # build-type cmake-args...
  local type=$1; shift
  emcmake cmake -DCMAKE_BUILD_TYPE="$type" "-DCMAKE_CROSSCOMPILING_EMULATOR=$node_emulator" "$@"
}
wasi() { # build-type cmake-args...
  local type=$1; shift
  cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/wasi.cmake -DCMAKE_BUILD_TYPE="$type" "$@"
}

run_config em-O0 . emscripten Debug
run_config em-O2 . emscripten Release
# (with em-O2's tree, its test of both libraries installed into one prefix)
run_config em-threads-O2 . emscripten Release -DGREENLET_WASM_THREADS=ON -DGREENLET_BUILD_BENCH=OFF \
  -DGREENLET_WASM_SINGLE_THREADED_BUILD="$PWD/$root/wasm-em-O2"
run_config wasi-O0 . wasi Debug
run_config wasi-O2 . wasi Release

exit $failed

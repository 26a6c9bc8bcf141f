#!/usr/bin/env bash
# The C suite as WebAssembly, under Node: emcc at -O0 and -O2 (Emscripten
# 3.1.6), and plain clang --target=wasm32-wasi + wasm-opt --asyncify at -O0
# and -O2 (run with node:wasi). Build trees: build/wasm-<config>.
# GREENLET_WASM_BUILD_ROOT moves them elsewhere (default: build).
set -u
cd "$(dirname "$0")/.."
jobs=${GREENLET_JOBS:-2}
root=${GREENLET_WASM_BUILD_ROOT:-build}
mkdir -p "$root"
failed=0

# Emscripten 3.1.6 on Node 20 (docs/toolchain.md): emcc -O1+ needs acorn
# from Debian's node modules; Node's global fetch breaks the .wasm loading;
# emcmake's default ctest emulator passes a flag Node 20 rejects. EM_CACHE
# stays unset (Debian's cache is frozen and complete).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
node_emulator="$(command -v node);--no-experimental-fetch"

run_config() { # name configure-command...
  local name=$1; shift
  local dir=$root/wasm-$name log=$root/wasm-$name.log
  echo "== wasm $name"
  rm -rf "$dir"
  if ! "$@" -S . -B "$dir" >"$log" 2>&1 || ! cmake --build "$dir" -j"$jobs" >>"$log" 2>&1; then
    tail -n 40 "$log"; echo "FAILED to build: wasm $name"; failed=1; return
  fi
  (cd "$dir" && ctest --output-on-failure -j"$jobs" --timeout 300) 2>&1 | tee -a "$log"
  if ! grep -q "100% tests passed" "$log"; then echo "FAILED: wasm $name"; failed=1; fi
}

emscripten() { # build-type cmake-args...
  local type=$1; shift
  emcmake cmake -DCMAKE_BUILD_TYPE="$type" "-DCMAKE_CROSSCOMPILING_EMULATOR=$node_emulator" "$@"
}
wasi() { # build-type cmake-args...
  local type=$1; shift
  cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/wasi.cmake -DCMAKE_BUILD_TYPE="$type" "$@"
}

run_config em-O0 emscripten Debug
run_config em-O2 emscripten Release
run_config wasi-O0 wasi Debug
run_config wasi-O2 wasi Release
exit $failed

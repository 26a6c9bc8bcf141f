#!/usr/bin/env bash
# `npm start`: installs what is missing (scripts/setup.sh start: a compiler,
# CMake, Emscripten, Binaryen), builds the library (Release) and runs the
# examples; then builds the in-browser demo (web-demo/) and serves it on
# 127.0.0.1 until Ctrl-C. `npm start -- --no-serve` (or GREENLET_NO_SERVE=1)
# stops after building it, for scripted use.
set -u
cd "$(dirname "$0")/.."
serve=1
case ${GREENLET_NO_SERVE:-} in ""|0) ;; *) serve=0 ;; esac
for arg in "$@"; do
  case $arg in
    --no-serve) serve=0 ;;
    *) echo "usage: npm start [-- --no-serve]" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh start || exit 1
# The library and the examples only: the tests and the benchmarks are what
# `npm test` and `npm run bench` build (with what their setup profiles install).
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DGREENLET_BUILD_TESTS=OFF -DGREENLET_BUILD_BENCH=OFF \
  >/dev/null || exit 1
cmake --build build/release -j"${GREENLET_JOBS:-2}" || exit 1
for example in build/release/examples/*; do
  [ -x "$example" ] && [ -f "$example" ] || continue
  echo "---- $(basename "$example")"
  "$example" || exit 1
done
echo "---- web demo"
node web-demo/build.mjs || exit 1
if [ "$serve" = 0 ]; then
  echo "web demo built in build/web-demo/ (serve it with: node web-demo/serve.mjs)"
  exit 0
fi
exec node web-demo/serve.mjs

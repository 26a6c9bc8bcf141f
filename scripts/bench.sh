#!/usr/bin/env bash
# `npm run bench`: installs what is missing, builds what the benchmarks need
# (Release), runs them all with progress on stderr (bench/run.py), and
# regenerates docs/benchmarks.md and its SVG plots (bench/report.py).
# `npm run bench -- --quick`: fewer repetitions and a smaller scale run, to
# check the pipeline in a few minutes. Nothing here is part of `npm test`.
set -eu
cd "$(dirname "$0")/.."
quick=()
for arg in "$@"; do
  case $arg in
    --quick) quick=(--quick) ;;
    *) echo "usage: npm run bench [-- --quick]" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh bench
. scripts/lib.sh
jobs=${GREENLET_JOBS:-2}
mkdir -p build
echo "[bench] building the native benchmarks (Release)" >&2
cmake -S . -B build/bench-native -DCMAKE_BUILD_TYPE=Release -DGREENLET_BUILD_TESTS=OFF \
  -DGREENLET_BUILD_EXAMPLES=OFF -DGREENLET_REQUIRE_LIBUV=ON >build/bench-native.log 2>&1 || { cat build/bench-native.log; exit 1; }
cmake --build build/bench-native -j"$jobs" --target bench_switch bench_scale \
  bench_echo_callbacks bench_echo_load hub_echo_server >>build/bench-native.log 2>&1 ||
  { tail -50 build/bench-native.log; exit 1; }
python3 bench/run.py --native build/bench-native --wasm build/bench-wasm "${quick[@]}"
python3 bench/report.py build/bench/results.jsonl docs

#!/usr/bin/env bash
# Builds and runs the libFuzzer target (clang, ASan + UBSan) for SECONDS.
#   bash tests/fuzz/run.sh [SECONDS=60] [BUILD_DIR=build/hardening-fuzz]
# The corpus grows in BUILD_DIR/corpus; failing inputs land in BUILD_DIR/artifacts.
set -u
cd "$(dirname "$0")/../.."
seconds=${1:-60}
dir=${2:-build/hardening-fuzz}
mkdir -p "$dir"
if ! cmake -S tests/fuzz -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
       -DGREENLET_SANITIZE=address,undefined >"$dir/build.log" 2>&1 ||
   ! cmake --build "$dir" -j"${GREENLET_JOBS:-2}" --target greenlet_fuzz >>"$dir/build.log" 2>&1; then
  tail -n 30 "$dir/build.log"
  echo "fuzz: build FAILED"
  exit 1
fi
exec bash tests/fuzz/fuzz_for.sh "$seconds" "$dir/greenlet_fuzz" "$dir/corpus"

#!/usr/bin/env bash
# The C suite natively on x86_64: gcc and clang at -O0 and -O2, and Debug
# builds with ASan+UBSan (the switch annotated with ASan's fiber API: no
# "ASan is ignoring requested __asan_handle_no_return" warning may appear).
# The gcc -O2 build runs a second time with the fallback stack guards
# (GREENLET_STACK_GUARDS=mprotect: what kernels before 6.13 get).
# libuv is required here (GREENLET_REQUIRE_LIBUV): the hub's tests must run.
set -u
cd "$(dirname "$0")/.."
. scripts/lib.sh
failed=0

run_config() { # name compiler build_type extra-cmake-args...
  local name=$1 cc=$2 type=$3; shift 3
  local dir=build/native-$name
  echo "== native $name ($cc, $type $*${GREENLET_STACK_GUARDS:+, GREENLET_STACK_GUARDS=$GREENLET_STACK_GUARDS})"
  build_and_test "native $name" "$dir" "$dir${GREENLET_STACK_GUARDS:+-$GREENLET_STACK_GUARDS}.log" --timeout 120 -- \
    cmake -S . -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE="$type" -DGREENLET_REQUIRE_LIBUV=ON "$@" || failed=1
  if grep -q "ASan is ignoring requested" "$dir/Testing/Temporary/LastTest.log" 2>/dev/null; then
    echo "FAILED: native $name: ASan reported an unannotated stack switch"; failed=1
  fi
}

run_config gcc-O0 gcc Debug
run_config gcc-O2 gcc Release
GREENLET_STACK_GUARDS=mprotect run_config gcc-O2 gcc Release
run_config clang-O0 clang Debug
run_config clang-O2 clang Release
run_config gcc-asan gcc Debug -DGREENLET_SANITIZE=address,undefined -DGREENLET_BUILD_BENCH=OFF
run_config clang-asan clang Debug -DGREENLET_SANITIZE=address,undefined -DGREENLET_BUILD_BENCH=OFF
exit $failed

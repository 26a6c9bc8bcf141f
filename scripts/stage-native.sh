#!/usr/bin/env bash
# The C suite natively on x86_64: gcc and clang at -O0 and -O2, and Debug
# builds with ASan+UBSan (the switch annotated with ASan's fiber API: no
# "ASan is ignoring requested __asan_handle_no_return" warning may appear).
# The gcc -O2 build runs a second time with the fallback stack guards
# (GREENLET_STACK_GUARDS=mprotect: what kernels before 6.13 get).
set -u
cd "$(dirname "$0")/.."
jobs=${GREENLET_JOBS:-2}
failed=0

run_config() { # name compiler build_type extra-cmake-args...
  local name=$1 cc=$2 type=$3; shift 3
  local dir=build/native-$name log=build/native-$name.log
  echo "== native $name ($cc, $type $*)"
  if ! cmake -S . -B "$dir" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE="$type" "$@" >"$log" 2>&1 ||
     ! cmake --build "$dir" -j"$jobs" >>"$log" 2>&1; then
    tail -n 40 "$log"; echo "FAILED to build: native $name"; failed=1; return
  fi
  if ! (cd "$dir" && ctest --output-on-failure -j"$jobs" --timeout 120) 2>&1 | tee -a "$log"; then :; fi
  if ! grep -q "100% tests passed" "$log"; then echo "FAILED: native $name"; failed=1; fi
  if grep -q "ASan is ignoring requested" "$dir/Testing/Temporary/LastTest.log" 2>/dev/null; then
    echo "FAILED: native $name: ASan reported an unannotated stack switch"; failed=1
  fi
}

# Runs a built configuration's tests again with an environment: name env...
rerun_config() {
  local name=$1; shift
  local dir=build/native-$name log=build/native-$name-rerun.log
  echo "== native $name again, with $*"
  (cd "$dir" && env "$@" ctest --output-on-failure -j"$jobs" --timeout 300) 2>&1 | tee "$log"
  if ! grep -q "100% tests passed" "$log"; then echo "FAILED: native $name with $*"; failed=1; fi
}

run_config gcc-O0 gcc Debug
run_config gcc-O2 gcc Release
rerun_config gcc-O2 GREENLET_STACK_GUARDS=mprotect
run_config clang-O0 clang Debug
run_config clang-O2 clang Release
run_config gcc-asan gcc Debug -DGREENLET_SANITIZE=address,undefined -DGREENLET_BUILD_BENCH=OFF
run_config clang-asan clang Debug -DGREENLET_SANITIZE=address,undefined -DGREENLET_BUILD_BENCH=OFF
exit $failed

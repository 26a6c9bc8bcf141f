#!/usr/bin/env bash
# Hardening stage of `npm test` (issue 5; docs/hardening.md runs each part by hand):
#   1. the differential tester: 2,000 programs from seed 1 plus 2,000 from a
#      random seed, Python's greenlet against libgreenlet (gcc build);
#   2. the same under ASan + UBSan (clang), and the libFuzzer target briefly;
#   3. the thread stress (8 threads x 1,000 greenlets) under TSan (clang);
#   4. the whole C suite (tests, examples, package) under TSan (clang);
#   5. the C suite under valgrind memcheck: 0 errors, 0 leaks;
#   6. the differential tester against the C interpreter built as WebAssembly.
# Builds go to build/hardening-*; exits non-zero if any part fails.
set -u
cd "$(dirname "$0")/.."
. scripts/lib.sh
fuzz_seconds=${GREENLET_FUZZ_SECONDS:-20}
failed=()

# Configures and builds one tree, then runs its tests: name source-dir ctest-args -- cmake-args...
# $configure_with may name a wrapper for the configure step (emcmake).
configure_with=()
run_part() {
  local name=$1 src=$2; shift 2
  local ctest_args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do ctest_args+=("$1"); shift; done
  shift
  echo "== hardening $name"
  build_and_test "hardening $name" "build/hardening-$name" "build/hardening-$name.log" "${ctest_args[@]}" -- \
    "${configure_with[@]}" cmake -S "$src" "$@" || failed+=("$name")
}

if ! /usr/bin/python3 -c "import greenlet" 2>/dev/null; then
  echo "FAILED: /usr/bin/python3 cannot import greenlet (Debian's python3-greenlet; scripts/setup.sh installs it)"
  exit 1
fi
for tool in clang valgrind emcc node; do
  command -v "$tool" >/dev/null || { echo "FAILED: $tool is missing (scripts/setup.sh installs it)"; exit 1; }
done
# 1. Differential tester, plain build.
run_part diff tests/diff --timeout 600 -- \
  -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo

# 2. Differential tester under ASan + UBSan, and the fuzzer (the same build).
run_part fuzz tests/fuzz --timeout 600 -- \
  -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGREENLET_SANITIZE=address,undefined \
  -DGREENLET_FUZZ_SECONDS="$fuzz_seconds"

# 3. Thread stress under TSan.
run_part stress-tsan tests/stress --timeout 600 -- \
  -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGREENLET_SANITIZE=thread

# 4. The whole C suite under TSan.
# test_scale suspends fewer greenlets here: TSan keeps a fiber for each.
run_part tsan . --timeout 300 -- \
  -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGREENLET_SANITIZE=thread \
  -DGREENLET_BUILD_BENCH=OFF -DGREENLET_SCALE_GREENLETS=5000 -DGREENLET_REQUIRE_LIBUV=ON

# 5. The C suite under valgrind memcheck (tests are run through it as an emulator).
# Left out here only, and run in every other part: fp_state, since valgrind
# computes in round-to-nearest whatever the rounding mode (a documented valgrind
# limitation); map_budget, since valgrind's own address-space manager gives up
# long before the kernel's mapping limit ("VG_N_SEGMENTS is too low").
# test_scale suspends 2,000 greenlets: valgrind searches its list of registered
# stacks on every switch.
# --max-stackframe: test_stack_sizes uses a 3 MiB frame on a 4 MiB greenlet stack.
# The hub's echo test checks fewer connections here (tests/hub/CMakeLists.txt).
valgrind_cmd="valgrind;--error-exitcode=1;--leak-check=full;--show-leak-kinds=definite,indirect,possible"
valgrind_cmd+=";--errors-for-leak-kinds=definite,indirect,possible;--max-stackframe=16777216;-q"
run_part valgrind . --timeout 600 -L greenlet -E '^(fp_state|map_budget)$' -- \
  -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug -DGREENLET_BUILD_BENCH=OFF -DGREENLET_BUILD_EXAMPLES=OFF \
  -DGREENLET_SCALE_GREENLETS=2000 -DGREENLET_REQUIRE_LIBUV=ON \
  "-DCMAKE_CROSSCOMPILING_EMULATOR=$valgrind_cmd"

# 6. The differential tester against the C interpreter built as WebAssembly
# (Emscripten, run by Node with the settings of scripts/lib.sh).
configure_with=(emcmake)
run_part wasm-diff tests/diff --timeout 600 -- \
  -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CROSSCOMPILING_EMULATOR=$node_emulator"
configure_with=()

if [ ${#failed[@]} -gt 0 ]; then
  echo "hardening: FAILED: ${failed[*]}"
  exit 1
fi
echo "hardening: all parts passed"

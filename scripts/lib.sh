# Shared by the scripts/stage-*.sh (sourced, not run): the one loop of
# configure, build, ctest and summary check, and the one place for the Node
# and Emscripten settings (docs/toolchain.md says why each is needed).

jobs=${GREENLET_JOBS:-2}

# Debian's emcc needs acorn from Debian's node modules at -O1 and above.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
# ctest's emulator for Emscripten builds: Node 20's fetch breaks 3.1.6's
# loading of the .wasm, and emcmake's own default flag is rejected.
node_emulator="$(command -v node);--no-experimental-fetch"

# build_and_test NAME DIR LOG [CTEST-ARG...] -- CONFIGURE-COMMAND...
# Runs CONFIGURE-COMMAND -B DIR (the command names its source with -S), builds
# DIR, runs ctest there (in the caller's environment), logging to LOG. Returns
# 0 when every test passed, 1 otherwise (after saying why).
build_and_test() {
  local name=$1 dir=$2 log=$3; shift 3
  local ctest_args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do ctest_args+=("$1"); shift; done
  shift
  mkdir -p "$(dirname "$dir")"
  if ! "$@" -B "$dir" >"$log" 2>&1 || ! cmake --build "$dir" -j"$jobs" >>"$log" 2>&1; then
    tail -n 40 "$log"
    echo "FAILED to build: $name"
    return 1
  fi
  (cd "$dir" && ctest --output-on-failure -j"$jobs" "${ctest_args[@]}") 2>&1 | tee -a "$log"
  if ! grep -q "^100% tests passed" "$log"; then
    echo "FAILED: $name"
    return 1
  fi
}

# record_result NAME OK LOG: adds "NAME: ok, N tests passed" (OK=1) or
# "NAME: FAILED, <ctest summary>" to the caller's summary array, and sets the
# caller's failed=1 on failure.
record_result() {
  local name=$1 ok=$2 log=$3 result
  result=$(grep -E "^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+" "$log" 2>/dev/null | tail -n 1)
  if [ "$ok" = 1 ]; then
    summary+=("$name: ok, ${result##* out of } tests passed")
  else
    summary+=("$name: FAILED, ${result:-no test summary}")
    failed=1
  fi
}

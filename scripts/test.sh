#!/usr/bin/env bash
# `npm test`: installs what is missing, builds and runs every test. Each stage
# is a script of its own (scripts/stage-*.sh); GREENLET_STAGES="native wasm"
# runs a subset for quick local work (CI runs them all).
set -u
cd "$(dirname "$0")/.."
bash scripts/setup.sh test || exit 1
mkdir -p build
if [ -n "${GREENLET_STAGES:-}" ]; then
  stages=$GREENLET_STAGES
else
  stages=""
  for stage in native cross windows wasm js node-lines hardening; do
    [ -f "scripts/stage-$stage.sh" ] && stages="$stages $stage"
  done
fi
passed=0 failed=0 stage_failures=()
start=$(date +%s)
for stage in $stages; do
  log=build/stage-$stage.log
  t0=$(date +%s)
  echo "==== stage $stage"
  bash "scripts/stage-$stage.sh" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  # Count tests from ctest summaries and node's TAP footer.
  while read -r p f; do passed=$((passed + p)); failed=$((failed + f)); done < <(
    sed -nE 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+)$/\2 \1/p' "$log" |
      awk '{print $1 - $2, $2}'
    sed -nE 's/^# pass ([0-9]+)$/\1 0/p; s/^# fail ([0-9]+)$/0 \1/p' "$log")
  [ "$rc" -eq 0 ] || stage_failures+=("$stage")
  echo "==== stage $stage: $([ "$rc" -eq 0 ] && echo ok || echo FAILED) in $(( $(date +%s) - t0 ))s"
done
echo
echo "total time $(( $(date +%s) - start ))s; failed stages: ${stage_failures[*]:-none}"
[ ${#stage_failures[@]} -eq 0 ] || failed=$((failed + ${#stage_failures[@]}))
echo "tests: $passed passed, $failed failed"
[ ${#stage_failures[@]} -eq 0 ]

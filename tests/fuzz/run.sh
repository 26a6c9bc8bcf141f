#!/usr/bin/env bash
# Builds and runs the libFuzzer target (clang, ASan + UBSan) for SECONDS.
#   bash tests/fuzz/run.sh [SECONDS=60] [BUILD_DIR=build/hardening-fuzz]
# The corpus lives in BUILD_DIR/corpus (seeded from the differential tester's
# generator); a failing input is saved as BUILD_DIR/crash-* (or leak-*,
# timeout-*) and printed. Exits non-zero when the fuzzer found something.
set -u
cd "$(dirname "$0")/../.."
seconds=${1:-60}
dir=${2:-build/hardening-fuzz}
python=/usr/bin/python3
mkdir -p "$dir"
if ! cmake -S tests/fuzz -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
       -DGREENLET_SANITIZE=address,undefined >"$dir/build.log" 2>&1 ||
   ! cmake --build "$dir" -j"${GREENLET_JOBS:-2}" --target greenlet_fuzz >>"$dir/build.log" 2>&1; then
  tail -n 30 "$dir/build.log"
  echo "fuzz: build FAILED"
  exit 1
fi
corpus=$dir/corpus
mkdir -p "$corpus"
for i in $(seq 0 31); do
  [ -f "$corpus/seed-$i" ] || "$python" tests/diff/gen.py 1 1 "$i" >"$corpus/seed-$i"
done
rm -f "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*
"$dir/greenlet_fuzz" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=16384 \
  -dict=tests/fuzz/greenlet.dict -print_final_stats=1 -artifact_prefix="$dir/" "$corpus" 2>&1 |
  grep -v -e '^#[0-9]*.*\(NEW\|REDUCE\|pulse\)' -e '^libgreenlet: ' | sed '/Recommended dictionary/,/End of recommended dictionary/d' |
  tail -n 60
rc=${PIPESTATUS[0]}
for f in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*; do
  [ -f "$f" ] || continue
  echo "---- fuzz: failing input $f:"
  cat "$f"; echo
  echo "---- reproduce: $dir/greenlet_fuzz $f"
done
if [ "$rc" -ne 0 ]; then echo "fuzz: FAILED (libFuzzer exit $rc)"; exit 1; fi
echo "fuzz: 1 passed, 0 failed (${seconds}s, no crash, leak or sanitizer report)"

#!/usr/bin/env bash
# Runs a built fuzzer for SECONDS on CORPUS (seeded from the differential
# tester's generator when empty). Prints any failing input and exits non-zero.
#   fuzz_for.sh SECONDS FUZZER CORPUS_DIR
set -u
seconds=$1 fuzzer=$2 corpus=$3
here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3
[ -x "$python" ] || python=python3
artifacts=$(dirname "$corpus")/artifacts
mkdir -p "$corpus" "$artifacts"
for i in $(seq 0 31); do
  [ -f "$corpus/seed-$i" ] || "$python" "$here/../diff/gen.py" 1 1 "$i" >"$corpus/seed-$i" || exit 1
done
rm -f "$artifacts"/*
# The library reports refused kills on stderr by design (R15): keep those out.
"$fuzzer" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=16384 \
  -dict="$here/greenlet.dict" -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" 2>&1 |
  grep -v -e '^#[0-9]*.*\(NEW\|REDUCE\|pulse\)' -e '^libgreenlet: ' |
  sed '/Recommended dictionary/,/End of recommended dictionary/d' | tail -n 60
rc=${PIPESTATUS[0]}
for f in "$artifacts"/*; do
  [ -f "$f" ] || continue
  echo "---- fuzz: failing input $f:"
  cat "$f"; echo
  echo "---- reproduce: $fuzzer $f"
  echo "---- shrink:    /usr/bin/python3 $here/../diff/minimise.py --crash <interp built with sanitizers> < $f"
done
if [ "$rc" -ne 0 ]; then echo "fuzz: FAILED (libFuzzer exit $rc)"; exit 1; fi
echo "fuzz: ${seconds}s without a crash, leak or sanitizer report"

#!/usr/bin/env bash
# The npm package's JS tests (tests/js/*.test.mjs but the web demo's and the
# setup profiles': helper, pack, config, browser loader, what users run under
# their own Node) under the Node binary of every maintained line, one run per
# line, with that binary first on PATH: node --test itself, the
# programs the tests start with process.execPath, `npm pack`/`npm install`
# and tsc (both `#!/usr/bin/env node`). emcc keeps Debian's /usr/bin/node
# (its config names it). The binaries are npm packages pinned in
# tests/node-lines/ and installed into build/node-lines/ by
# `bash scripts/setup.sh test`. The prebuilt wasm library (js/prebuilt/) is
# built once, with the system node, not per line.
set -u
cd "$(dirname "$0")/.."
. scripts/lib.sh
case $(uname -m) in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "FAILED: no Node packages for $(uname -m) in tests/node-lines/"; exit 1 ;;
esac
# The lines and their versions, from the lockfile: "22 22.23.5" per line.
lines=$(node -e '
  const lock = require(process.argv[1]);
  for (const [key, pkg] of Object.entries(lock.packages)) {
    const m = key.match(/^node_modules\/node(\d+)-linux-(\w+)$/);
    if (m && m[2] === process.argv[2]) console.log(m[1], pkg.version);
  }' "$PWD/tests/node-lines/package-lock.json" "$arch") || { echo "FAILED: cannot read tests/node-lines/package-lock.json"; exit 1; }
[ -n "$lines" ] || { echo "FAILED: no Node line for linux-$arch in tests/node-lines/"; exit 1; }

echo "== node-lines: the npm package's prebuilt library"
node js/build-lib.mjs || { echo "FAILED to build: js/prebuilt"; exit 1; }
files=()
for file in tests/js/*.test.mjs; do
  # The demo's page and the setup script do not depend on the user's Node:
  # the js stage runs them once, under the system's.
  case $file in */web-demo.test.mjs|*/setup.test.mjs) continue ;; esac
  files+=("$file")
done
[ ${#files[@]} -gt 0 ] || { echo "FAILED: no JS tests in tests/js"; exit 1; }

failed=0
summary=()
while read -r line version; do
  bin=$PWD/build/node-lines/node_modules/node$line-linux-$arch/bin
  got=$("$bin/node" --version 2>/dev/null)
  if [ "$got" != "v$version" ]; then
    echo "FAILED: Node $line: $bin/node is ${got:-missing}, expected v$version (rm -rf build/node-lines; bash scripts/setup.sh test)"
    summary+=("Node $line: FAILED (binary missing)"); failed=1; continue
  fi
  echo "== node-lines: Node $version: node --test ${files[*]}"
  log=build/node-lines/test-$line.log
  t0=$(date +%s)
  # The tap reporter on every line: Node 24 and 26 print spec by default even
  # when the output is not a terminal, and scripts/test.sh counts tap's footer.
  PATH=$bin:$PATH node --test --test-reporter=tap "${files[@]}" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  seconds=$(( $(date +%s) - t0 ))
  pass=$(sed -n 's/^# pass //p' "$log") fail=$(sed -n 's/^# fail //p' "$log")
  if [ "$rc" -eq 0 ]; then
    summary+=("Node $version: ok, ${pass:-?} passed, in ${seconds}s")
  else
    summary+=("Node $version: FAILED, ${pass:-?} passed, ${fail:-?} failed, in ${seconds}s"); failed=1
  fi
done <<<"$lines"

echo
printf 'node-lines: %s\n' "${summary[@]}"
exit $failed

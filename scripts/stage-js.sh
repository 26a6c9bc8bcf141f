#!/usr/bin/env bash
# The JavaScript tests (tests/js/*.test.mjs, node's test runner): the npm
# package's helper, its packed tarball, the browser loader and the web demo.
# The prebuilt wasm library they all use (js/prebuilt/) is built once, first.
set -u
cd "$(dirname "$0")/.."
. scripts/lib.sh
echo "== js: the npm package's prebuilt library"
node js/build-lib.mjs || { echo "FAILED to build: js/prebuilt"; exit 1; }
files=(tests/js/*.test.mjs)
[ -e "${files[0]}" ] || { echo "FAILED: no JS tests in tests/js"; exit 1; }
echo "== js: node --test ${files[*]}"
node --test "${files[@]}"

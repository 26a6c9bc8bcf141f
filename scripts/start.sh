#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the library (Release) and runs
# the examples.
set -u
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 1
cmake --build build/release -j"${GREENLET_JOBS:-2}" || exit 1
for example in build/release/examples/*; do
  [ -x "$example" ] && [ -f "$example" ] || continue
  echo "---- $(basename "$example")"
  "$example" || exit 1
done

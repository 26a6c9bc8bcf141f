#!/usr/bin/env bash
# Windows x64: the C suite (portable and native tests, the C++ test, the
# examples, the install-and-consume test) built with MinGW-w64
# (cmake/toolchains/x86_64-w64-mingw32.cmake) and run under Wine by ctest.
# Built twice: RelWithDebInfo (-O2 -g) and Release (-O3, what users build).
# Wine runs in a prefix of its own under the build folder, made fresh here
# and its server stopped at the end. Build directories go to
# build/windows-<type> (GREENLET_BUILD_ROOT=<dir> puts them elsewhere).
set -u
cd "$(dirname "$0")/.."
. scripts/lib.sh
root=${GREENLET_BUILD_ROOT:-build}
failed=0
summary=()

for tool in x86_64-w64-mingw32-gcc-win32 x86_64-w64-mingw32-g++-win32 /usr/lib/wine/wine64; do
  if ! command -v "$tool" >/dev/null; then
    echo "FAILED: windows: $tool not found (scripts/setup.sh installs it)"
    exit 1
  fi
done

mkdir -p "$root"
export WINEPREFIX="$PWD/$root/wine-prefix" WINEDEBUG=-all
rm -rf "$WINEPREFIX"
t0=$(date +%s)
/usr/lib/wine/wine64 wineboot --init >"$root/wine-prefix.log" 2>&1
echo "== windows: Wine prefix made in $(( $(date +%s) - t0 ))s ($WINEPREFIX)"

for type in RelWithDebInfo Release; do
  name="windows $type"
  dir=$root/windows-$type log=$root/windows-$type.log
  echo "== $name (MinGW-w64 gcc, under Wine)"
  ok=1
  build_and_test "$name" "$dir" "$log" --timeout 300 -- cmake -S . -DCMAKE_BUILD_TYPE="$type" \
    -DGREENLET_BUILD_BENCH=OFF -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchains/x86_64-w64-mingw32.cmake" || ok=0
  if ! grep -qF "libgreenlet backend: asm (switch_x86_64_ms.S)" "$log"; then
    grep "libgreenlet backend:" "$log"; echo "FAILED: $name: expected the switch_x86_64_ms.S backend"
    ok=0
  fi
  record_result "$name" "$ok" "$log"
done

/usr/lib/wine/wineserver -k 2>/dev/null || true
echo
printf '%s\n' "${summary[@]}"
exit $failed

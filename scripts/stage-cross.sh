#!/usr/bin/env bash
# The C suite on every other architecture with an assembly switch, each built
# with Debian's cross gcc (cmake/toolchains/<triple>.cmake) and run under
# qemu-user by ctest, plus the portable ucontext fallback on x86_64. Every
# target is built twice: RelWithDebInfo (-O2 -g) and Release (-O3, what users
# build).
# GREENLET_SKIP_CROSS=1 skips the qemu targets for a quick local run; it is
# ignored in CI (CI=true), which always runs them all. Build directories go
# to build/cross-<name>-<type> (GREENLET_BUILD_ROOT=<dir> puts them elsewhere).
set -u
cd "$(dirname "$0")/.."
. scripts/lib.sh
root=${GREENLET_BUILD_ROOT:-build}
failed=0
summary=()

skip_cross=0
if [ "${GREENLET_SKIP_CROSS:-0}" = 1 ]; then
  if [ "${CI:-}" = true ]; then
    echo "stage-cross: GREENLET_SKIP_CROSS=1 ignored in CI"
  else
    skip_cross=1
  fi
fi

# name  toolchain-triple (empty: the host)  qemu  expected backend  extra cmake args
targets=(
  "ucontext-x86_64|||ucontext|-DGREENLET_BACKEND=ucontext"
  "aarch64|aarch64-linux-gnu|qemu-aarch64|asm (switch_aarch64_aapcs.S)|"
  "riscv64|riscv64-linux-gnu|qemu-riscv64|asm (switch_riscv64_lp64d.S)|"
  "armhf|arm-linux-gnueabihf|qemu-arm|asm (switch_arm_aapcs.S)|"
  "i686|i686-linux-gnu|qemu-i386|asm (switch_i386_sysv.S)|"
  "ppc64le|powerpc64le-linux-gnu|qemu-ppc64le|asm (switch_ppc64le_elfv2.S)|"
  "s390x|s390x-linux-gnu|qemu-s390x|asm (switch_s390x.S)|"
)

run_target() { # name triple qemu expected-backend extra-arg build-type
  local triple=$2 qemu=$3 backend=$4 extra=$5 type=$6
  local name="$1 $type"
  local dir=$root/cross-$1-$type log=$root/cross-$1-$type.log
  local args=(-DCMAKE_BUILD_TYPE="$type" -DGREENLET_BUILD_BENCH=OFF)
  [ -n "$triple" ] && args+=(-DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchains/$triple.cmake")
  [ -n "$extra" ] && args+=("$extra")
  echo "== cross $name (${triple:-host}${qemu:+, under $qemu}, backend $backend)"
  if [ -n "$triple" ]; then
    local tool
    for tool in "$triple-gcc" "$qemu"; do
      if ! command -v "$tool" >/dev/null; then
        echo "FAILED: cross $name: $tool not found (scripts/setup.sh installs it)"
        summary+=("cross $name: FAILED ($tool missing)"); failed=1; return
      fi
    done
  fi
  local ok=1
  build_and_test "cross $name" "$dir" "$log" --timeout 600 -- cmake -S . "${args[@]}" || ok=0
  # A silent fallback to another switch would test the wrong code.
  if ! grep -qF "libgreenlet backend: $backend" "$log"; then
    grep "libgreenlet backend:" "$log"; echo "FAILED: cross $name: expected backend $backend"
    summary+=("cross $name: FAILED (wrong backend)"); failed=1; return
  fi
  record_result "cross $name" "$ok" "$log"
}

for target in "${targets[@]}"; do
  IFS='|' read -r name triple qemu backend extra <<<"$target"
  if [ -n "$triple" ] && [ "$skip_cross" = 1 ]; then
    summary+=("cross $name: skipped (GREENLET_SKIP_CROSS=1)")
    continue
  fi
  for type in RelWithDebInfo Release; do
    run_target "$name" "$triple" "$qemu" "$backend" "$extra" "$type"
  done
done

echo
printf '%s\n' "${summary[@]}"
exit $failed

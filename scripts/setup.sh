#!/usr/bin/env bash
# Installs what building and testing libgreenlet needs and is missing: Debian
# packages (as root; otherwise prints the exact command) and npm packages.
set -u
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake clang lld llvm pkg-config valgrind gdb      # native builds, tools
  libclang-rt-14-dev                                                # sanitizer runtimes for clang
  emscripten binaryen wasi-libc libclang-rt-14-dev-wasm32           # WebAssembly
  qemu-user                                                         # cross-architecture tests
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
  gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
  gcc-i686-linux-gnu libc6-dev-i386-cross
  gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross
  gcc-s390x-linux-gnu libc6-dev-s390x-cross
  python3 python3-greenlet                                          # differential testing
  libboost-context-dev                                              # benchmark peer
  chromium node-typescript                                          # JS helper tests: a browser, tsc
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages. Run as root:" >&2
    echo "  $cmd" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >/dev/null || { echo "setup: apt-get install failed" >&2; exit 1; }
fi

if [ -f package-lock.json ] && [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error || { echo "setup: npm ci failed" >&2; exit 1; }
fi
echo "setup: all dependencies present"

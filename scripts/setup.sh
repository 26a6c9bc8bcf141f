#!/usr/bin/env bash
# Installs what one command of the project needs and is missing: Debian
# packages (as root; otherwise prints the exact command and exits 1) and npm
# packages (npm ci, from the npm registry only).
#
#   bash scripts/setup.sh [start|test|bench]     (default: test, everything)
#
#   start  what `npm start` uses: a C compiler and CMake for the library and the
#          examples, Emscripten and Binaryen for the web demo;
#   test   what `npm test` uses: every toolchain, qemu-user and the cross
#          compilers, MinGW-w64 and Wine, Chromium, tsc, valgrind,
#          python3-greenlet, Boost.Context, libuv (the hub example), the project's npm devDependencies
#          (playwright-core, for the web demo's browser tests), and the Node
#          binaries of every maintained line (tests/node-lines/, into
#          build/node-lines/);
#   bench  what `npm run bench` uses: the native toolchain, Boost.Context, libuv,
#          python3-greenlet, valgrind, Emscripten, Binaryen and Chromium.
#
# GREENLET_SETUP_DRY_RUN=1 installs nothing and checks nothing: it prints what
# the profile installs, one `apt PACKAGE` or `npm DIRECTORY` per line.
set -u
cd "$(dirname "$0")/.."

profile=${1:-test}
start_packages=(
  build-essential cmake                                             # the library and the examples
  emscripten binaryen                                               # the web demo
)
bench_packages=(
  build-essential cmake valgrind                                    # native benchmarks, callgrind
  libuv1-dev                                                        # the hub's echo benchmark
  python3 python3-greenlet libboost-context-dev                     # the peers measured
  emscripten binaryen chromium                                      # WebAssembly in Node and Chromium
)
test_packages=(
  build-essential cmake clang lld llvm pkg-config valgrind gdb      # native builds, tools
  libclang-rt-14-dev                                                # sanitizer runtimes for clang
  emscripten binaryen wasi-libc libclang-rt-14-dev-wasm32           # WebAssembly
  qemu-user                                                         # cross-architecture tests
  gcc-mingw-w64-x86-64-win32 g++-mingw-w64-x86-64-win32 wine64      # Windows x64, run under Wine
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
  gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
  gcc-i686-linux-gnu libc6-dev-i386-cross
  gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross
  gcc-s390x-linux-gnu libc6-dev-s390x-cross
  python3 python3-greenlet                                          # differential testing
  libboost-context-dev                                              # benchmark peer
  libuv1-dev                                                        # the hub example and its tests
  chromium node-typescript                                          # JS helper tests: a browser, tsc
)
npm_dirs=() # directories with a package-lock.json to install with npm ci
case $profile in
  start) packages=("${start_packages[@]}") ;;
  bench) packages=("${bench_packages[@]}") ;;
  # The project's own npm packages are the tests' (playwright-core drives the
  # web demo's browser tests): `npm start` and `npm run bench` need none.
  test) packages=("${test_packages[@]}"); [ -f package-lock.json ] && npm_dirs+=(.); npm_dirs+=(build/node-lines) ;;
  *) echo "usage: bash scripts/setup.sh [start|test|bench]" >&2; exit 2 ;;
esac

if [ "${GREENLET_SETUP_DRY_RUN:-0}" = 1 ]; then
  printf 'apt %s\n' "${packages[@]}"
  [ ${#npm_dirs[@]} -eq 0 ] || printf 'npm %s\n' "${npm_dirs[@]}"
  exit 0
fi

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

# The Node binaries of every maintained line: their package.json and
# package-lock.json (exact versions and integrity) live in tests/node-lines/
# and are installed into the ignored build/node-lines/, never into the
# project's node_modules: each package's bin is called `node`, and npm puts
# node_modules/.bin first on the PATH of `npm test` and `npm start`.
if [ "$profile" = test ]; then
  mkdir -p build/node-lines
  for f in package.json package-lock.json; do
    cmp -s "tests/node-lines/$f" "build/node-lines/$f" || cp "tests/node-lines/$f" "build/node-lines/$f" || exit 1
  done
fi

# npm ci in each directory whose node_modules was not installed from its
# current package-lock.json (a stamp records the lockfile it was installed
# from, so an edited or pulled lockfile reinstalls; npm ci starts afresh).
for dir in "${npm_dirs[@]}"; do
  stamp=$dir/node_modules/.libgreenlet-setup-lock.json
  cmp -s "$dir/package-lock.json" "$stamp" && continue
  echo "setup: npm ci in $dir"
  links=() # several of the Node packages link a bin named node: none is needed
  [ "$dir" = build/node-lines ] && links=(--no-bin-links)
  # playwright-core never downloads a browser itself; the variable makes sure
  # nothing does: the tests use Debian's /usr/bin/chromium.
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error "${links[@]}") &&
    cp "$dir/package-lock.json" "$stamp" || { echo "setup: npm ci failed in $dir" >&2; exit 1; }
done
echo "setup: all dependencies of '$profile' present"

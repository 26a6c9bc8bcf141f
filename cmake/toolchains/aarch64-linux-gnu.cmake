# Cross build for aarch64-linux-gnu (Debian's aarch64-linux-gnu-gcc), tests under qemu-aarch64.
#   cmake -S . -B build/cross-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
set(GREENLET_CROSS_TRIPLE aarch64-linux-gnu)
set(GREENLET_CROSS_PROCESSOR aarch64)
set(GREENLET_CROSS_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)

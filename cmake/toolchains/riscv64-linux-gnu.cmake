# Cross build for riscv64-linux-gnu (Debian's riscv64-linux-gnu-gcc), tests under qemu-riscv64.
#   cmake -S . -B build/cross-riscv64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/riscv64-linux-gnu.cmake
set(GREENLET_CROSS_TRIPLE riscv64-linux-gnu)
set(GREENLET_CROSS_PROCESSOR riscv64)
set(GREENLET_CROSS_QEMU qemu-riscv64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)

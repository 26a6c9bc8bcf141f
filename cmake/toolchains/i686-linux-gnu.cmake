# Cross build for i686-linux-gnu (Debian's i686-linux-gnu-gcc), tests under qemu-i386.
#   cmake -S . -B build/cross-i686 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/i686-linux-gnu.cmake
set(GREENLET_CROSS_TRIPLE i686-linux-gnu)
set(GREENLET_CROSS_PROCESSOR i686)
set(GREENLET_CROSS_QEMU qemu-i386)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)

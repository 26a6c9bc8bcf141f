# Cross build for s390x-linux-gnu (Debian's s390x-linux-gnu-gcc), tests under qemu-s390x.
#   cmake -S . -B build/cross-s390x -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/s390x-linux-gnu.cmake
set(GREENLET_CROSS_TRIPLE s390x-linux-gnu)
set(GREENLET_CROSS_PROCESSOR s390x)
set(GREENLET_CROSS_QEMU qemu-s390x)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)

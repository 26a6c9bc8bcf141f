# Cross build for powerpc64le-linux-gnu (Debian's powerpc64le-linux-gnu-gcc), tests under qemu-ppc64le.
#   cmake -S . -B build/cross-ppc64le -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/powerpc64le-linux-gnu.cmake
set(GREENLET_CROSS_TRIPLE powerpc64le-linux-gnu)
set(GREENLET_CROSS_PROCESSOR ppc64le)
set(GREENLET_CROSS_QEMU qemu-ppc64le)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)

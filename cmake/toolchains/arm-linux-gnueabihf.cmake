# Cross build for arm-linux-gnueabihf (Debian's arm-linux-gnueabihf-gcc), tests under qemu-arm.
#   cmake -S . -B build/cross-armhf -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/arm-linux-gnueabihf.cmake
set(GREENLET_CROSS_TRIPLE arm-linux-gnueabihf)
set(GREENLET_CROSS_PROCESSOR armv7l)
set(GREENLET_CROSS_QEMU qemu-arm)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)

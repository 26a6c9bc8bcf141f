# Shared part of the cmake/toolchains/<triple>.cmake files: cross-compile with
# Debian's <triple>-gcc (packages gcc-<triple> and libc6-dev-<arch>-cross) and
# run the tests under qemu-user (package qemu-user). binfmt_misc is not assumed:
# ctest calls qemu explicitly, with -L pointing at the target's libraries.
#
# The including file sets GREENLET_CROSS_TRIPLE, GREENLET_CROSS_PROCESSOR (the
# value of CMAKE_SYSTEM_PROCESSOR) and GREENLET_CROSS_QEMU (qemu-<arch>).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${GREENLET_CROSS_PROCESSOR})

set(CMAKE_C_COMPILER ${GREENLET_CROSS_TRIPLE}-gcc)
set(CMAKE_ASM_COMPILER ${GREENLET_CROSS_TRIPLE}-gcc)

# Libraries and headers come from the target's tree only; programs (the
# build tools) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${GREENLET_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_CROSSCOMPILING_EMULATOR ${GREENLET_CROSS_QEMU} -L /usr/${GREENLET_CROSS_TRIPLE})

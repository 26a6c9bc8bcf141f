# Cross build for i686-linux-gnu (Debian's i686-linux-gnu-gcc), tests under qemu-i386.
#   cmake -S . -B build/cross-i686 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/i686-linux-gnu.cmake
set(GREENLET_CROSS_TRIPLE i686-linux-gnu)
set(GREENLET_CROSS_PROCESSOR i686)
set(GREENLET_CROSS_QEMU qemu-i386)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)

# qemu-i386 7.2 (Debian 12) spins forever in the child of glibc's fork() when
# the program is dynamically linked (the raw fork system call and static
# programs are fine), and the overflow and kill-report tests fork. So the
# executables are static here, and src/native/backend.cmake then builds no
# shared library (a static executable cannot link one).
set(CMAKE_EXE_LINKER_FLAGS_INIT -static)
set(GREENLET_STATIC_EXECUTABLES ON)

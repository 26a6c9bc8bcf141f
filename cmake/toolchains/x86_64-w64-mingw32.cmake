# Cross build for 64-bit Windows with MinGW-w64 (Debian's x86_64-w64-mingw32-gcc,
# packages gcc-mingw-w64-x86-64-win32 and g++-mingw-w64-x86-64-win32), tests
# under Wine (package wine64) through cmake/toolchains/wine-run.sh.
#   cmake -S . -B build/windows -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/x86_64-w64-mingw32.cmake
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

# The win32 thread model: no winpthreads DLL for programs to carry.
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-win32)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-win32)
set(CMAKE_ASM_COMPILER x86_64-w64-mingw32-gcc-win32)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

# Another prefix to search (an installed libgreenlet, say) goes on
# CMAKE_FIND_ROOT_PATH too: -DCMAKE_FIND_ROOT_PATH=/that/prefix.
list(APPEND CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Programs carry the compiler's runtime (libgcc, libstdc++) inside, so Wine
# needs no DLL but greenlet.dll, found next to the program or on WINEPATH.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static-libgcc -static-libstdc++")

set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/wine-run.sh)

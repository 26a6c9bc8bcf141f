# Plain clang for WebAssembly/WASI (no Emscripten): Debian's wasi-libc and
# libclang-rt-14-dev-wasm32. The wasm backend runs wasm-opt --asyncify after
# each link (src/wasm/backend.cmake); tests run under Node's node:wasi.
#   cmake -S . -B build/wasi -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/wasi.cmake
set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
list(APPEND CMAKE_MODULE_PATH ${CMAKE_CURRENT_LIST_DIR}) # Platform/WASI.cmake

set(_greenlet_wasi_target wasm32-wasi)
find_program(CMAKE_C_COMPILER NAMES clang-14 clang REQUIRED)
set(CMAKE_ASM_COMPILER ${CMAKE_C_COMPILER})
set(CMAKE_C_COMPILER_TARGET ${_greenlet_wasi_target})
set(CMAKE_ASM_COMPILER_TARGET ${_greenlet_wasi_target})
if(NOT CMAKE_SYSROOT AND EXISTS /usr/share/wasi-sysroot)
  set(CMAKE_SYSROOT /usr/share/wasi-sysroot)
endif()
# The compiler checks link a whole program: let them build a static library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

find_program(GREENLET_NODE NAMES node nodejs REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR "${GREENLET_NODE};--no-warnings;${CMAKE_CURRENT_LIST_DIR}/wasi-run.mjs")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Native backend: stacks with guard pages (mmap'd, or VirtualAlloc'd on
# Windows), and a per-architecture assembly switch (switch_<arch>_<abi>.S), or
# the portable ucontext switch.
include(CheckIncludeFile)

include(CheckCSourceCompiles)

# Which assembly file fits this target: first a candidate from the processor
# name and pointer size, then a compile check of the same condition that
# guards the file (the ABI: float ABI, ELF version, ILP32 ...). A mismatch
# falls back to ucontext instead of linking an empty object.
set(_greenlet_arch "${CMAKE_SYSTEM_PROCESSOR}")
string(TOLOWER "${_greenlet_arch}" _greenlet_arch)
set(_greenlet_asm "")
set(_greenlet_asm_guard "")
if(_greenlet_arch MATCHES "^(x86_64|amd64|x64)$" AND CMAKE_SIZEOF_VOID_P EQUAL 8 AND WIN32)
  set(_greenlet_asm switch_x86_64_ms.S)
  set(_greenlet_asm_guard "defined(__x86_64__) && defined(_WIN32)")
elseif(_greenlet_arch MATCHES "^(x86_64|amd64|x64)$" AND CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(_greenlet_asm switch_x86_64_sysv.S)
  set(_greenlet_asm_guard "defined(__x86_64__) && !defined(_WIN32) && !defined(__ILP32__)")
elseif(_greenlet_arch MATCHES "^(i[3-6]86|x86|x86_64|amd64)$" AND CMAKE_SIZEOF_VOID_P EQUAL 4)
  set(_greenlet_asm switch_i386_sysv.S)
  set(_greenlet_asm_guard "defined(__i386__) && !defined(_WIN32) && !defined(__APPLE__)")
elseif(_greenlet_arch MATCHES "^(aarch64|arm64)$" AND CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(_greenlet_asm switch_aarch64_aapcs.S)
  set(_greenlet_asm_guard "defined(__aarch64__) && !defined(__APPLE__) && !defined(_WIN32) && !defined(__ILP32__)")
elseif(_greenlet_arch MATCHES "^arm" AND CMAKE_SIZEOF_VOID_P EQUAL 4)
  set(_greenlet_asm switch_arm_aapcs.S)
  set(_greenlet_asm_guard "defined(__arm__) && defined(__ARM_ARCH_ISA_ARM) && defined(__ARM_FP) && !defined(__APPLE__)")
elseif(_greenlet_arch MATCHES "^riscv64$" AND CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(_greenlet_asm switch_riscv64_lp64d.S)
  set(_greenlet_asm_guard "defined(__riscv) && __riscv_xlen == 64 && defined(__riscv_float_abi_double)")
elseif(_greenlet_arch MATCHES "^(ppc64|powerpc64)(le)?$" AND CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(_greenlet_asm switch_ppc64le_elfv2.S)
  set(_greenlet_asm_guard "defined(__powerpc64__) && defined(_CALL_ELF) && _CALL_ELF == 2")
elseif(_greenlet_arch STREQUAL "s390x" AND CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(_greenlet_asm switch_s390x.S)
  set(_greenlet_asm_guard "defined(__s390x__)")
endif()
if(_greenlet_asm)
  string(MAKE_C_IDENTIFIER "GREENLET_ABI_FITS_${_greenlet_asm}" _greenlet_asm_check)
  check_c_source_compiles("
#if !(${_greenlet_asm_guard})
#error this target's ABI is not the one ${_greenlet_asm} implements
#endif
int main(void) { return 0; }" ${_greenlet_asm_check})
  if(NOT ${_greenlet_asm_check})
    message(STATUS "libgreenlet: ${_greenlet_asm} does not fit this ABI")
    set(_greenlet_asm "")
  endif()
endif()

if(GREENLET_BACKEND STREQUAL "asm" AND NOT _greenlet_asm)
  message(STATUS "libgreenlet: no assembly switch for '${CMAKE_SYSTEM_PROCESSOR}': using ucontext")
  set(GREENLET_BACKEND ucontext)
endif()
if(GREENLET_BACKEND STREQUAL "ucontext" AND WIN32)
  message(FATAL_ERROR "libgreenlet: Windows has no ucontext; the assembly switch is x86_64 only for now")
endif()
if(GREENLET_BACKEND STREQUAL "ucontext")
  set(_greenlet_switch switch_ucontext.c)
  set(GREENLET_BACKEND_DESCRIPTION "ucontext, portable")
else()
  set(_greenlet_switch ${_greenlet_asm})
  set(GREENLET_BACKEND_DESCRIPTION "${_greenlet_asm}")
endif()

set(GREENLET_BACKEND_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/switch.c
  ${CMAKE_CURRENT_LIST_DIR}/switch_entry.c
  ${CMAKE_CURRENT_LIST_DIR}/thread.c
  ${CMAKE_CURRENT_LIST_DIR}/stack.c
  ${CMAKE_CURRENT_LIST_DIR}/${_greenlet_switch})
if(WIN32)
  list(APPEND GREENLET_BACKEND_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/overflow_win32.c
    ${CMAKE_CURRENT_LIST_DIR}/stack_memory_win32.c
    ${CMAKE_CURRENT_LIST_DIR}/unhandled_win32.c)
  # Windows 7's API (SRW locks, one-time initialisation, K32QueryWorkingSetEx).
  # MinGW's C99 stdio, not msvcrt's (which lacks %zu).
  set(GREENLET_BACKEND_COMPILE_OPTIONS -D_WIN32_WINNT=0x0601 -D__USE_MINGW_ANSI_STDIO=1)
else()
  list(APPEND GREENLET_BACKEND_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/overflow_posix.c
    ${CMAKE_CURRENT_LIST_DIR}/stack_memory_posix.c
    ${CMAKE_CURRENT_LIST_DIR}/stack_guard.c)
  # The library's thread-locals are read on every switch: initial-exec TLS
  # avoids a __tls_get_addr call per access in libgreenlet.so (a few bytes of
  # static TLS), and direct calls between our own exported functions avoid the PLT.
  set(GREENLET_BACKEND_COMPILE_OPTIONS -ftls-model=initial-exec -fno-semantic-interposition)
endif()

# valgrind's client requests (stack registration) when its header is there.
check_include_file(valgrind/valgrind.h GREENLET_HAVE_VALGRIND_H)
if(GREENLET_HAVE_VALGRIND_H)
  list(APPEND GREENLET_BACKEND_COMPILE_OPTIONS -DGREENLET_HAVE_VALGRIND_H=1)
endif()

if(WIN32)
  set(GREENLET_PLATFORM_SOURCE src/platform_win32.c) # Win32 threads, no pthreads
else()
  set(THREADS_PREFER_PTHREAD_FLAG ON)
  find_package(Threads REQUIRED)
  set(GREENLET_PLATFORM_SOURCE src/platform_posix.c)
endif()
# A toolchain file may ask for static executables (see
# cmake/toolchains/i686-linux-gnu.cmake): they cannot link a shared library.
if(GREENLET_STATIC_EXECUTABLES)
  set(GREENLET_BUILD_SHARED OFF)
else()
  set(GREENLET_BUILD_SHARED ON)
endif()

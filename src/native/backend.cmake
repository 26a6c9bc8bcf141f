# Native backend: mmap'd stacks with guard pages, and a per-architecture
# assembly switch (switch_<arch>_<abi>.S), or the portable ucontext switch.
include(CheckIncludeFile)

set(_greenlet_arch "${CMAKE_SYSTEM_PROCESSOR}")
string(TOLOWER "${_greenlet_arch}" _greenlet_arch)
set(_greenlet_asm "")
if(_greenlet_arch MATCHES "^(x86_64|amd64)$" AND CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(_greenlet_asm switch_x86_64_sysv.S)
endif()

if(GREENLET_BACKEND STREQUAL "asm" AND NOT _greenlet_asm)
  message(STATUS "libgreenlet: no assembly switch for '${CMAKE_SYSTEM_PROCESSOR}': using ucontext")
  set(GREENLET_BACKEND ucontext)
endif()
if(GREENLET_BACKEND STREQUAL "ucontext")
  set(_greenlet_switch switch_ucontext.c)
  set(GREENLET_BACKEND_DESCRIPTION "ucontext, portable")
else()
  set(_greenlet_switch ${_greenlet_asm})
  set(GREENLET_BACKEND_DESCRIPTION "${_greenlet_asm}")
endif()

set(GREENLET_BACKEND_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/context.c
  ${CMAKE_CURRENT_LIST_DIR}/overflow.c
  ${CMAKE_CURRENT_LIST_DIR}/stack.c
  ${CMAKE_CURRENT_LIST_DIR}/${_greenlet_switch})

# The library's thread-locals are read on every switch: initial-exec TLS avoids
# a __tls_get_addr call per access in libgreenlet.so (a few bytes of static TLS),
# and direct calls between our own exported functions avoid the PLT.
set(GREENLET_BACKEND_COMPILE_OPTIONS -ftls-model=initial-exec -fno-semantic-interposition)

# valgrind's client requests (stack registration) when its header is there.
check_include_file(valgrind/valgrind.h GREENLET_HAVE_VALGRIND_H)
if(GREENLET_HAVE_VALGRIND_H)
  list(APPEND GREENLET_BACKEND_COMPILE_OPTIONS -DGREENLET_HAVE_VALGRIND_H=1)
endif()

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
set(GREENLET_HAVE_THREADS ON)
set(GREENLET_BUILD_SHARED ON)

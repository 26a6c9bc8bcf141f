# WebAssembly backend: Binaryen Asyncify driven from C (switch.c), built with
# emcc or with clang --target=wasm32-wasi (cmake/toolchains/wasi.cmake). The
# flags it needs are set here, on greenlet_backend_flags, which everything
# linking greenlet_static gets. docs/wasm.md explains each of them.
set(GREENLET_BACKEND_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/switch.c
  ${CMAKE_CURRENT_LIST_DIR}/switch_entry.c
  ${CMAKE_CURRENT_LIST_DIR}/thread.c
  ${CMAKE_CURRENT_LIST_DIR}/stack.c
  ${CMAKE_CURRENT_LIST_DIR}/overflow.c
  ${CMAKE_CURRENT_LIST_DIR}/stack_pointer.S)

# Threads: -DGREENLET_WASM_THREADS=ON builds the library for programs linked
# with emcc -pthread (shared memory, atomics): each thread (a Web Worker, with
# its own Asyncify state) has its own greenlets, as natively, through the
# POSIX platform layer. Otherwise one thread and platform_none.c (Debian's
# wasi-libc has no pthread.h at all). Static library only.
option(GREENLET_WASM_THREADS "WebAssembly: a library for programs linked with -pthread (Emscripten only)" OFF)
if(GREENLET_WASM_THREADS)
  if(NOT EMSCRIPTEN)
    message(FATAL_ERROR "GREENLET_WASM_THREADS needs Emscripten: WASI has no threads here")
  endif()
  # Users' objects need -pthread too: wasm-ld refuses to mix objects built
  # without atomics and bulk memory into a shared-memory program.
  target_compile_options(greenlet_backend_flags INTERFACE -pthread)
  # Memory growth with threads makes JavaScript's view of memory slower; the
  # stacks need the growth (see below), and emcc's warning says so each link.
  target_link_options(greenlet_backend_flags INTERFACE -pthread -Wno-pthreads-mem-growth)
  set(THREADS_PREFER_PTHREAD_FLAG ON)
  find_package(Threads REQUIRED)
  set(GREENLET_PLATFORM_SOURCE src/platform_posix.c)
else()
  set(GREENLET_PLATFORM_SOURCE src/platform_none.c)
endif()
set(GREENLET_BUILD_SHARED OFF)

if(EMSCRIPTEN)
  set(GREENLET_BACKEND_DESCRIPTION "Binaryen Asyncify, Emscripten")
  if(GREENLET_WASM_THREADS)
    string(APPEND GREENLET_BACKEND_DESCRIPTION ", pthreads")
  endif()
  # ASSERTIONS=0: emcc adds Binaryen's asyncify-asserts with ASSERTIONS, and
  # they trap in the switch. greenlet_wasm.js fails the link with an
  # explanation if a later flag turns ASSERTIONS back on.
  set(GREENLET_WASM_JS_LIBRARY ${CMAKE_CURRENT_LIST_DIR}/greenlet_wasm.js)
  # ALLOW_MEMORY_GROWTH=1: stacks live on the heap, and a stack that cannot be
  # had must fail with GREENLET_ENOMEM (R20), not abort in malloc.
  # MAXIMUM_MEMORY=4GB: what wasm32 can address (Node and Chromium allow it);
  # Emscripten's default stops at 2 GiB, about 220,000 suspended greenlets.
  target_link_options(greenlet_backend_flags INTERFACE
    "SHELL:-s ASYNCIFY=1" "SHELL:-s ASSERTIONS=0" "SHELL:-s ALLOW_MEMORY_GROWTH=1" "SHELL:-s MAXIMUM_MEMORY=4GB"
    "$<BUILD_INTERFACE:SHELL:--js-library ${GREENLET_WASM_JS_LIBRARY}>")
  set_property(TARGET greenlet_backend_flags APPEND PROPERTY
    INTERFACE_LINK_DEPENDS $<BUILD_INTERFACE:${GREENLET_WASM_JS_LIBRARY}>)
elseif(CMAKE_SYSTEM_NAME STREQUAL "WASI")
  set(GREENLET_BACKEND_DESCRIPTION "Binaryen Asyncify, WASI (wasm-opt --asyncify after linking)")
  find_program(GREENLET_WASM_OPT wasm-opt REQUIRED)
  # Every executable is linked, then instrumented. No import can unwind
  # (asyncify-ignore-imports): only the switch and indirect calls make
  # Binaryen instrument a function. The optimisation runs after the pass,
  # so that nothing is inlined across the runtime/instrumented boundary.
  if(CMAKE_BUILD_TYPE MATCHES "^(Debug)?$")
    set(_greenlet_wasm_opt_level "")
  else()
    set(_greenlet_wasm_opt_level "-O2")
  endif()
  # (A rule variable is a list of commands.)
  list(APPEND CMAKE_C_LINK_EXECUTABLE
    "${GREENLET_WASM_OPT} --asyncify --pass-arg=asyncify-ignore-imports ${_greenlet_wasm_opt_level} <TARGET> -o <TARGET>")
else()
  message(FATAL_ERROR "GREENLET_BACKEND=wasm needs Emscripten (emcmake cmake) or a WASI toolchain "
                      "(-DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/wasi.cmake)")
endif()

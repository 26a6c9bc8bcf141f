# libuv, for the hub example (examples/hub) and its tests (tests/hub). Optional:
# users who build the library alone need nothing. Sets GREENLET_HUB and, when
# found, the imported target libuv::libuv. Not looked for where the hub cannot
# run: WebAssembly, Windows, cross builds (no libuv for the target there).
# CI sets GREENLET_REQUIRE_LIBUV=ON, so that a missing libuv fails the build
# instead of skipping the hub's tests.
option(GREENLET_REQUIRE_LIBUV "Fail when libuv (for the hub example and its tests) is missing" OFF)
set(GREENLET_HUB OFF)
if(GREENLET_BACKEND STREQUAL "wasm" OR WIN32 OR CMAKE_CROSSCOMPILING)
  message(STATUS "libgreenlet hub example: skipped (no libuv on this target)")
  return()
endif()

find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(GREENLET_LIBUV QUIET IMPORTED_TARGET GLOBAL libuv>=1.32) # uv_tcp_close_reset
  if(GREENLET_LIBUV_FOUND)
    add_library(libuv::libuv ALIAS PkgConfig::GREENLET_LIBUV)
  endif()
endif()
if(NOT TARGET libuv::libuv)
  find_path(GREENLET_LIBUV_INCLUDE_DIR uv.h)
  find_library(GREENLET_LIBUV_LIBRARY uv)
  if(GREENLET_LIBUV_INCLUDE_DIR AND GREENLET_LIBUV_LIBRARY)
    add_library(libuv::libuv UNKNOWN IMPORTED)
    set_target_properties(libuv::libuv PROPERTIES IMPORTED_LOCATION ${GREENLET_LIBUV_LIBRARY}
      INTERFACE_INCLUDE_DIRECTORIES ${GREENLET_LIBUV_INCLUDE_DIR})
  endif()
endif()

if(TARGET libuv::libuv)
  set(GREENLET_HUB ON)
  message(STATUS "libgreenlet hub example: libuv found")
elseif(GREENLET_REQUIRE_LIBUV)
  message(FATAL_ERROR "libuv not found, and GREENLET_REQUIRE_LIBUV is ON: install libuv1-dev (scripts/setup.sh)")
else()
  message(STATUS "libgreenlet hub example: skipped (libuv not found; Debian: libuv1-dev)")
endif()

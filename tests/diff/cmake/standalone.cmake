# Lets a test folder (tests/diff, tests/stress, tests/fuzz) be configured on
# its own: builds libgreenlet from the repository root alongside it, with the
# same GREENLET_* options (GREENLET_SANITIZE included). Inside the main build
# (target greenlet_static already defined) it does nothing.
if(NOT TARGET greenlet_static)
  set(GREENLET_BUILD_TESTS OFF CACHE BOOL "" FORCE)
  set(GREENLET_BUILD_EXAMPLES OFF CACHE BOOL "" FORCE)
  set(GREENLET_BUILD_BENCH OFF CACHE BOOL "" FORCE)
  get_filename_component(_greenlet_root "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
  add_subdirectory(${_greenlet_root} libgreenlet)
  # The library's sanitizer flags are set for its own folder: ours need them too.
  include(${_greenlet_root}/cmake/Sanitizers.cmake)
  enable_testing()
endif()

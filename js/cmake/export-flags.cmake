# Included into project(greenlet) by js/build-lib.mjs through
# CMAKE_PROJECT_greenlet_INCLUDE. It writes what a consumer of the static
# library needs to one file, so the npm package takes its flags from the build
# itself and never keeps a copy:
#   - the library's transitive usage requirements (what the wasm backend's
#     backend.cmake puts on greenlet_backend_flags);
#   - the toolchain's target and sysroot (a plain clang consumer must compile
#     and link for the same target);
#   - the commands run after linking an executable (WASI: backend.cmake
#     appends wasm-opt --asyncify to the link rule).
# The rule is complete only once the top-level CMakeLists.txt has run, hence
# the deferred call (CMake 3.19+); file(GENERATE) then evaluates the target
# properties after the whole project is configured.
if(CMAKE_VERSION VERSION_LESS 3.19)
  message(FATAL_ERROR "js/build-lib.mjs needs CMake 3.19 or later (cmake_language(DEFER))")
endif()

function(greenlet_npm_write_usage)
  set(post_link "")
  list(LENGTH CMAKE_C_LINK_EXECUTABLE rule_length)
  if(rule_length GREATER 1)
    list(SUBLIST CMAKE_C_LINK_EXECUTABLE 1 -1 post_link)
  endif()
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/greenlet-npm-usage.txt CONTENT
"library=$<TARGET_FILE:greenlet_static>
link_options=$<TARGET_PROPERTY:greenlet_static,INTERFACE_LINK_OPTIONS>
compile_options=$<TARGET_PROPERTY:greenlet_static,INTERFACE_COMPILE_OPTIONS>
compile_definitions=$<TARGET_PROPERTY:greenlet_static,INTERFACE_COMPILE_DEFINITIONS>
compiler_target=${CMAKE_C_COMPILER_TARGET}
sysroot=${CMAKE_SYSROOT}
compiler_version=${CMAKE_C_COMPILER_VERSION}
post_link=${post_link}
version=${PROJECT_VERSION}
")
endfunction()
cmake_language(DEFER CALL greenlet_npm_write_usage)

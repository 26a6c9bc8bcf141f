# Included into project(greenlet) by js/build-lib.mjs through
# CMAKE_PROJECT_greenlet_INCLUDE. It writes what a consumer of the static
# library needs (its transitive usage requirements, i.e. the flags the wasm
# backend's backend.cmake puts on greenlet_backend_flags) to one file, so the
# npm package takes its flags from the build itself and never keeps a copy.
# file(GENERATE) is evaluated after the whole project is configured, so the
# targets it names may be defined later than this point.
file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/greenlet-npm-usage.txt CONTENT
"library=$<TARGET_FILE:greenlet_static>
link_options=$<TARGET_PROPERTY:greenlet_static,INTERFACE_LINK_OPTIONS>
compile_options=$<TARGET_PROPERTY:greenlet_static,INTERFACE_COMPILE_OPTIONS>
compile_definitions=$<TARGET_PROPERTY:greenlet_static,INTERFACE_COMPILE_DEFINITIONS>
version=${PROJECT_VERSION}
")

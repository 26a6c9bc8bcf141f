# WebAssembly with Emscripten: the single-threaded library and its threads
# variant installed into one prefix, then the out-of-tree consumer (consumer/)
# built against it twice through find_package(greenlet CONFIG): without
# -pthread it must link libgreenlet.a, with -pthread libgreenlet-pthread.a,
# and both programs must run under Node. pkg-config names them greenlet and
# greenlet-pthread.
# Run with cmake -P; inputs: PLAIN_BUILD, THREADS_BUILD (the two build trees),
# WORK_DIR, CONSUMER_DIR, NODE, VERSION.
cmake_minimum_required(VERSION 3.16)
foreach(_var PLAIN_BUILD THREADS_BUILD WORK_DIR CONSUMER_DIR NODE VERSION)
  if(NOT ${_var})
    message(FATAL_ERROR "wasm_variants.cmake: ${_var} is not set")
  endif()
endforeach()

include(${CMAKE_CURRENT_LIST_DIR}/run_step.cmake)

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
run_step("install the single-threaded library" ${CMAKE_COMMAND} --install ${PLAIN_BUILD} --prefix ${prefix})
run_step("install the threads variant" ${CMAKE_COMMAND} --install ${THREADS_BUILD} --prefix ${prefix})
foreach(_file lib/libgreenlet.a lib/libgreenlet-pthread.a lib/cmake/greenlet/greenletTargets.cmake
    lib/cmake/greenlet/greenletPthreadTargets.cmake lib/pkgconfig/greenlet.pc lib/pkgconfig/greenlet-pthread.pc)
  if(NOT EXISTS ${prefix}/${_file})
    message(FATAL_ERROR "not installed: ${prefix}/${_file}")
  endif()
endforeach()

# The consumer is configured with the same Emscripten toolchain file.
file(STRINGS ${THREADS_BUILD}/CMakeCache.txt _toolchain REGEX "^CMAKE_TOOLCHAIN_FILE:")
string(REGEX REPLACE "^[^=]*=" "" _toolchain "${_toolchain}")
if(NOT _toolchain)
  message(FATAL_ERROR "no CMAKE_TOOLCHAIN_FILE in ${THREADS_BUILD}: not an Emscripten build")
endif()

foreach(_variant single pthread)
  set(_build ${WORK_DIR}/consumer-${_variant})
  set(_flags "")
  set(_expected "libgreenlet[.]a")
  set(_unexpected "libgreenlet-pthread[.]a")
  if(_variant STREQUAL "pthread")
    set(_flags "-pthread")
    set(_expected "libgreenlet-pthread[.]a")
    set(_unexpected "libgreenlet[.]a")
  endif()
  run_step("configure the ${_variant} consumer" ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${_build}
    -DCMAKE_TOOLCHAIN_FILE=${_toolchain} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_ROOT_PATH=${prefix}
    -DEXPECTED_PREFIX=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF "-DCMAKE_C_FLAGS=${_flags}"
    -DCMAKE_BUILD_TYPE=Release)
  run_step("build the ${_variant} consumer" ${CMAKE_COMMAND} --build ${_build} --target consumer_shared)
  # greenlet::greenlet chose by the flags: the link names one library (the
  # Makefile generator puts the libraries in a response file).
  file(GLOB _link_files ${_build}/CMakeFiles/consumer_shared.dir/link.txt
    ${_build}/CMakeFiles/consumer_shared.dir/linkLibs.rsp)
  set(_link "")
  foreach(_file IN LISTS _link_files)
    file(READ ${_file} _text)
    string(APPEND _link " ${_text}")
  endforeach()
  if(NOT _link MATCHES "/${_expected}" OR _link MATCHES "/${_unexpected}")
    message(FATAL_ERROR "the ${_variant} consumer did not link ${_expected} alone:\n${_link}")
  endif()
  run_step("run the ${_variant} consumer" ${NODE} --no-experimental-fetch ${_build}/consumer_shared.js)
  if(NOT step_output MATCHES "consumer: libgreenlet ${VERSION}, .*: ok")
    message(FATAL_ERROR "the ${_variant} consumer: unexpected output:\n${step_output}")
  endif()
  message(STATUS "${_variant} consumer: ${step_output}")
endforeach()

# Installs a libgreenlet build into a fresh prefix, then builds and runs the
# out-of-tree consumer (consumer/) against it: through find_package(greenlet
# CONFIG) and through pkg-config, each with the shared and the static library.
# Run with cmake -P; inputs: BUILD_DIR, WORK_DIR, CONSUMER_DIR, CONFIG,
# GENERATOR, C_COMPILER, C_FLAGS, LIBDIR, PKG_CONFIG, VERSION; for a Windows
# build, also TOOLCHAIN_FILE (the consumer is built with it) and EMULATOR
# (Wine, to run it).
cmake_minimum_required(VERSION 3.16)
foreach(_var BUILD_DIR WORK_DIR CONSUMER_DIR GENERATOR C_COMPILER LIBDIR PKG_CONFIG VERSION)
  if(NOT ${_var})
    message(FATAL_ERROR "install_and_consume.cmake: ${_var} is not set")
  endif()
endforeach()

include(${CMAKE_CURRENT_LIST_DIR}/run_step.cmake)

# Runs a consumer program and checks that it reports success.
function(run_consumer what program)
  run_step("${what}" ${EMULATOR} ${program})
  if(NOT step_output MATCHES "consumer: libgreenlet ${VERSION}, .*: ok")
    message(FATAL_ERROR "${what}: unexpected output:\n${step_output}")
  endif()
  message(STATUS "${what}: ${step_output}")
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
separate_arguments(c_flags UNIX_COMMAND "${C_FLAGS}")

# 1. Install.
set(_config_args "")
if(CONFIG)
  set(_config_args --config ${CONFIG})
endif()
run_step("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} ${_config_args})
if(TOOLCHAIN_FILE) # Windows: the DLL in bin/, its import library beside the static one
  set(_shared_files bin/greenlet.dll ${LIBDIR}/libgreenlet.dll.a ${LIBDIR}/greenlet.def)
else()
  set(_shared_files ${LIBDIR}/libgreenlet.so ${LIBDIR}/libgreenlet.so.0 ${LIBDIR}/libgreenlet.so.${VERSION})
endif()
foreach(_file
    include/greenlet.h
    ${LIBDIR}/libgreenlet.a
    ${_shared_files}
    ${LIBDIR}/cmake/greenlet/greenletConfig.cmake
    ${LIBDIR}/cmake/greenlet/greenletConfigVersion.cmake
    ${LIBDIR}/cmake/greenlet/greenletTargets.cmake
    ${LIBDIR}/pkgconfig/greenlet.pc)
  if(NOT EXISTS ${prefix}/${_file})
    message(FATAL_ERROR "not installed: ${prefix}/${_file}")
  endif()
endforeach()

# 2. find_package(greenlet CONFIG): a shared and a static consumer.
set(_build ${WORK_DIR}/cmake-consumer)
if(TOOLCHAIN_FILE) # a cross build finds packages under its root paths
  set(_compiler_args -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN_FILE} -DCMAKE_FIND_ROOT_PATH=${prefix})
else()
  set(_compiler_args -DCMAKE_C_COMPILER=${C_COMPILER})
endif()
run_step("configure the CMake consumer" ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${_build} -G ${GENERATOR}
  -DCMAKE_PREFIX_PATH=${prefix} -DEXPECTED_PREFIX=${prefix}
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  ${_compiler_args} "-DCMAKE_C_FLAGS=${C_FLAGS}" -DCMAKE_BUILD_TYPE=Release)
run_step("build the CMake consumer" ${CMAKE_COMMAND} --build ${_build} --config Release)
foreach(_variant shared static)
  file(GLOB_RECURSE _exe ${_build}/consumer_${_variant} ${_build}/consumer_${_variant}.exe)
  if(NOT _exe)
    message(FATAL_ERROR "consumer_${_variant} was not built in ${_build}")
  endif()
  list(GET _exe 0 _exe)
  if(TOOLCHAIN_FILE AND _variant STREQUAL "shared") # Windows finds a DLL beside the program
    get_filename_component(_exe_dir ${_exe} DIRECTORY)
    file(COPY ${prefix}/bin/greenlet.dll DESTINATION ${_exe_dir})
  endif()
  run_consumer("find_package consumer (${_variant})" ${_exe})
endforeach()

# 3. pkg-config: the way a Makefile user builds against the library.
set(ENV{PKG_CONFIG_PATH} ${prefix}/${LIBDIR}/pkgconfig)
run_step("pkg-config --modversion" ${PKG_CONFIG} --modversion greenlet)
string(STRIP "${step_output}" _pc_version)
if(NOT _pc_version STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config reports version '${_pc_version}', expected '${VERSION}'")
endif()
run_step("pkg-config --cflags --libs" ${PKG_CONFIG} --cflags --libs greenlet)
separate_arguments(_pc_flags UNIX_COMMAND "${step_output}")
set(_exe_suffix "")
if(TOOLCHAIN_FILE)
  set(_exe_suffix .exe) # what MinGW's gcc -o names the program
endif()
set(_exe ${WORK_DIR}/consumer_pkgconfig${_exe_suffix})
run_step("compile the pkg-config consumer"
  ${C_COMPILER} ${c_flags} ${CONSUMER_DIR}/consumer.c ${_pc_flags} -o ${_exe})
if(TOOLCHAIN_FILE)
  file(COPY ${prefix}/bin/greenlet.dll DESTINATION ${WORK_DIR})
else()
  set(ENV{LD_LIBRARY_PATH} ${prefix}/${LIBDIR})
endif()
run_consumer("pkg-config consumer" ${_exe})
# Statically: `pkg-config --static`, and -static so that the linker takes
# libgreenlet.a where a libgreenlet.so (or .dll.a) sits beside it. (Not with
# a sanitizer: its runtime cannot be linked statically.)
if(C_FLAGS MATCHES "-fsanitize")
  return()
endif()
run_step("pkg-config --static --cflags --libs" ${PKG_CONFIG} --static --cflags --libs greenlet)
separate_arguments(_pc_flags UNIX_COMMAND "${step_output}")
set(_exe ${WORK_DIR}/static/consumer_pkgconfig_static${_exe_suffix})
file(MAKE_DIRECTORY ${WORK_DIR}/static)
run_step("compile the static pkg-config consumer"
  ${C_COMPILER} ${c_flags} ${CONSUMER_DIR}/consumer.c ${_pc_flags} -static -o ${_exe})
run_consumer("pkg-config consumer (static)" ${_exe})

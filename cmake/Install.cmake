# Installation and packaging: the header, both libraries, a CMake package
# (find_package(greenlet CONFIG) -> greenlet::greenlet, greenlet::greenlet_static)
# and a pkg-config file. Included by the top-level CMakeLists.txt after the
# library targets exist; GREENLET_INSTALL_TARGETS lists what to install.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(GREENLET_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/greenlet)

install(FILES ${PROJECT_SOURCE_DIR}/include/greenlet.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# WebAssembly with Emscripten: the backend's JS library is needed at every
# link, so it is installed too, and the installed package points to it.
set(GREENLET_PC_LIBS_EXTRA "")
if(GREENLET_WASM_JS_LIBRARY)
  get_filename_component(_greenlet_js_name ${GREENLET_WASM_JS_LIBRARY} NAME)
  set(_greenlet_js_dir ${CMAKE_INSTALL_DATADIR}/greenlet)
  install(FILES ${GREENLET_WASM_JS_LIBRARY} DESTINATION ${_greenlet_js_dir})
  target_link_options(greenlet_backend_flags INTERFACE
    "$<INSTALL_INTERFACE:SHELL:--js-library $<INSTALL_PREFIX>/${_greenlet_js_dir}/${_greenlet_js_name}>")
  # pkg-config users get the same link flags: the backend's plain ones, then
  # the JS library. "-s X" becomes "-sX": pkg-config drops repeated words.
  get_target_property(_greenlet_link_options greenlet_backend_flags INTERFACE_LINK_OPTIONS)
  foreach(_option IN LISTS _greenlet_link_options)
    if(_option MATCHES "^SHELL:([^$]*)$")
      string(REGEX REPLACE "^-s +" "-s" _option "${CMAKE_MATCH_1}")
      string(APPEND GREENLET_PC_LIBS_EXTRA " ${_option}")
    elseif(NOT _option MATCHES "[$]<")
      string(APPEND GREENLET_PC_LIBS_EXTRA " ${_option}")
    endif()
  endforeach()
  string(APPEND GREENLET_PC_LIBS_EXTRA " --js-library \${prefix}/${_greenlet_js_dir}/${_greenlet_js_name}")
endif()

# greenlet_backend_flags is an INTERFACE target that greenlet_static links
# publicly, so it has to be part of the export set as well.
install(TARGETS ${GREENLET_INSTALL_TARGETS}
  EXPORT greenletTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

if(WIN32 AND TARGET greenlet) # for MSVC users: lib /def:greenlet.def /machine:x64
  install(FILES ${PROJECT_BINARY_DIR}/greenlet.def DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()

# The WebAssembly threads variant has a targets file of its own, so that both
# variants can be installed into one prefix.
if(GREENLET_WASM_THREADS)
  set(_greenlet_targets_file greenletPthreadTargets.cmake)
else()
  set(_greenlet_targets_file greenletTargets.cmake)
endif()
install(EXPORT greenletTargets
  NAMESPACE greenlet::
  FILE ${_greenlet_targets_file}
  DESTINATION ${GREENLET_CMAKE_INSTALL_DIR})

if(TARGET Threads::Threads) # not on Windows: Win32 threads
  set(GREENLET_CONFIG_NEEDS_THREADS ON)
else()
  set(GREENLET_CONFIG_NEEDS_THREADS OFF)
endif()
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/greenletConfig.cmake.in
  ${PROJECT_BINARY_DIR}/greenletConfig.cmake
  INSTALL_DESTINATION ${GREENLET_CMAKE_INSTALL_DIR})
# The SONAME is libgreenlet.so.<major>, so a matching major version is the
# compatibility promise of the CMake package too.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/greenletConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/greenletConfig.cmake
  ${PROJECT_BINARY_DIR}/greenletConfigVersion.cmake
  DESTINATION ${GREENLET_CMAKE_INSTALL_DIR})

# pkg-config: the prefix is derived from the .pc file's own location, so the
# file stays correct for `cmake --install <build> --prefix <elsewhere>` (the
# prefix given at configure time is not the one used then).
set(GREENLET_PC_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${GREENLET_PC_INSTALL_DIR}")
  set(GREENLET_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _greenlet_pc_up "/root/${GREENLET_PC_INSTALL_DIR}" "/root")
  string(REGEX REPLACE "/$" "" _greenlet_pc_up "${_greenlet_pc_up}")
  set(GREENLET_PC_PREFIX "\${pcfiledir}/${_greenlet_pc_up}")
endif()
foreach(_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_dir}}")
    set(GREENLET_PC_${_dir} "${CMAKE_INSTALL_${_dir}}")
  else()
    set(GREENLET_PC_${_dir} "\${prefix}/${CMAKE_INSTALL_${_dir}}")
  endif()
endforeach()
if(TARGET Threads::Threads)
  set(GREENLET_PC_LIBS_PRIVATE "-pthread")
else()
  set(GREENLET_PC_LIBS_PRIVATE "")
endif()
# Windows: `pkg-config --static` users compile without dllimport (and link
# with -static, so that libgreenlet.a is chosen over libgreenlet.dll.a).
if(WIN32)
  set(GREENLET_PC_CFLAGS_PRIVATE "-DGREENLET_STATIC")
else()
  set(GREENLET_PC_CFLAGS_PRIVATE "")
endif()
# The WebAssembly threads variant is the package greenlet-pthread
# (libgreenlet-pthread.a), and its users compile with -pthread too.
if(GREENLET_WASM_THREADS)
  set(GREENLET_PC_NAME greenlet-pthread)
  set(GREENLET_PC_CFLAGS_EXTRA " -pthread")
else()
  set(GREENLET_PC_NAME greenlet)
  set(GREENLET_PC_CFLAGS_EXTRA "")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/greenlet.pc.in ${PROJECT_BINARY_DIR}/${GREENLET_PC_NAME}.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/${GREENLET_PC_NAME}.pc DESTINATION ${GREENLET_PC_INSTALL_DIR})

# GREENLET_SANITIZE=address|thread|undefined (or "address,undefined"): applied to
# every target of this build, so the library and its tests agree.
if(GREENLET_SANITIZE)
  string(REPLACE "," ";" _greenlet_sanitizers "${GREENLET_SANITIZE}")
  foreach(_s IN LISTS _greenlet_sanitizers)
    if(NOT _s MATCHES "^(address|thread|undefined)$")
      message(FATAL_ERROR "GREENLET_SANITIZE: unknown sanitizer '${_s}' (use address, thread or undefined)")
    endif()
  endforeach()
  string(REPLACE ";" "," _greenlet_sanitize_flag "${_greenlet_sanitizers}")
  add_compile_options(-fsanitize=${_greenlet_sanitize_flag} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_greenlet_sanitize_flag})
endif()

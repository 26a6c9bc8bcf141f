# run_step(WHAT COMMAND...): runs a command for a cmake -P test script; stops
# the test with its output when it fails, and leaves the output in
# step_output otherwise. Included by install_and_consume.cmake and
# wasm_variants.cmake.
function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${_rc}):\n${ARGN}\n${_out}")
  endif()
  set(step_output "${_out}" PARENT_SCOPE)
endfunction()

# Runs PROGRAM (through EMULATOR when cross-compiling, e.g. node for wasm) and
# checks that it exits with 0, prints exactly the contents of EXPECTED and
# nothing on stderr (where sanitizer and library warnings would appear).
cmake_minimum_required(VERSION 3.16)
execute_process(COMMAND ${EMULATOR} ${PROGRAM}
  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
file(READ ${EXPECTED} _expected)
string(REPLACE "\r\n" "\n" _out "${_out}") # Windows' text-mode stdout
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${_rc}\nstdout:\n${_out}\nstderr:\n${_err}")
endif()
if(NOT _out STREQUAL _expected)
  message(FATAL_ERROR "${PROGRAM}: output differs from ${EXPECTED}\n"
                      "--- expected\n${_expected}--- got\n${_out}--- stderr\n${_err}")
endif()
if(NOT _err STREQUAL "")
  message(FATAL_ERROR "${PROGRAM}: unexpected output on stderr:\n${_err}")
endif()
message(STATUS "${PROGRAM}: output matches ${EXPECTED}")

# Runs echo_server and load_client as two processes, the server's output piped
# into the client (which reads the port from it): the server stops after
# CONNECTIONS connections. Both must exit with 0 and the client must report no
# failure.
cmake_minimum_required(VERSION 3.16)
execute_process(COMMAND ${SERVER} 0 ${CONNECTIONS} COMMAND ${CLIENT} - ${CONNECTIONS} ${MESSAGES}
  RESULTS_VARIABLE _rcs OUTPUT_VARIABLE _out ERROR_VARIABLE _err TIMEOUT 120)
if(NOT _rcs STREQUAL "0;0" OR NOT _out MATCHES "${CONNECTIONS} connections, 0 failed")
  message(FATAL_ERROR "echo_server | load_client: exit codes ${_rcs}\nstdout:\n${_out}\nstderr:\n${_err}")
endif()
message(STATUS "${_out}")

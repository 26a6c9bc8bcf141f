# Runs test_gdb_backtrace_program under gdb, breaks inside the greenlet and
# checks the backtrace: our frames, then the entry, then a clean end.
# (LeakSanitizer cannot run under ptrace: it is off for this run only.)
execute_process(
  COMMAND ${GDB} -batch -nx
    -ex "set debuginfod enabled off"
    -ex "set environment ASAN_OPTIONS=detect_leaks=0"
    -ex "break greenlet_bt_probe"
    -ex "run"
    -ex "bt"
    -ex "continue"
    ${PROGRAM}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}\n${err}")
foreach(frame greenlet_bt_probe recurse body glet_greenlet_entry glet_native_start)
  if(NOT out MATCHES "(#0  | in )${frame} \\(")
    message(FATAL_ERROR "backtrace lacks frame ${frame}")
  endif()
endforeach()
if(out MATCHES "#[0-9]+ +0x[0-9a-f]+ in \\?\\?" OR out MATCHES "Backtrace stopped" OR out MATCHES "corrupt")
  message(FATAL_ERROR "backtrace does not end cleanly at the greenlet's entry")
endif()
if(NOT out MATCHES "result 3")
  message(FATAL_ERROR "program did not finish under gdb")
endif()

# Warnings for our own code (library, tests, examples, benchmarks): errors in CI.
add_library(greenlet_warnings INTERFACE)
target_compile_options(greenlet_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter>)
if(GREENLET_WERROR)
  target_compile_options(greenlet_warnings INTERFACE $<$<COMPILE_LANGUAGE:C>:-Werror>)
endif()

# CHASE_BUILD_FUZZERS: libFuzzer needs clang. The layers (and with them the header-only JSON and
# TOML code they instantiate) are compiled with coverage instrumentation, CHASE_FUZZ_COVERAGE,
# so the fuzzers see the parsers' branches; only the executables in fuzz/ link libFuzzer's main.
# Tests link the same layers: the sanitizer runtime supplies the coverage callbacks they leave
# unused, and their own code is not instrumented (it would only cost build time).
set(CHASE_FUZZ_COVERAGE "")
if(NOT CHASE_BUILD_FUZZERS)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "CHASE_BUILD_FUZZERS needs clang (libFuzzer); this is ${CMAKE_CXX_COMPILER_ID}. "
                      "Use the asan preset, or -DCMAKE_CXX_COMPILER=clang++-14.")
endif()
set(CHASE_FUZZ_COVERAGE -fsanitize=fuzzer-no-link)

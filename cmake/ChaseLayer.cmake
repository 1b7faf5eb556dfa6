# chase_add_layer(<name> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Creates the static library chase_<name> with the alias chase::<name>. Headers are included
# as "<layer>/<file>.hpp" relative to src/ (installed under include/chase/).
# Warnings are errors where the project wants them (the presets and CI turn this on); a packager's
# plain configure with another compiler version must not fail on a warning that compiler invents.
option(CHASE_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" OFF)
set(CHASE_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wconversion -Wno-sign-conversion)
if(CHASE_WARNINGS_AS_ERRORS)
  list(APPEND CHASE_WARNINGS -Werror)
endif()

# The asan preset compiles everything at -O0 (clang -O1 with the sanitizers takes 2-4 times as
# long to compile) except the layers, at -O1: they hold what the tests spend their time in
# (forecast backtests, the simulator), which runs 3 times slower at -O0.
set(CHASE_LAYER_OPTIMIZATION "" CACHE STRING "Optimisation flag added to the layer libraries only")

function(chase_add_layer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(chase_${name} STATIC ${ARG_SOURCES})
  add_library(chase::${name} ALIAS chase_${name})
  set_target_properties(chase_${name} PROPERTIES EXPORT_NAME ${name})
  target_include_directories(chase_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/chase>)
  target_compile_features(chase_${name} PUBLIC cxx_std_20)
  target_compile_options(chase_${name} PRIVATE ${CHASE_FUZZ_COVERAGE} ${CHASE_WARNINGS} ${CHASE_LAYER_OPTIMIZATION})
  target_link_libraries(chase_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  set_property(GLOBAL APPEND PROPERTY CHASE_LAYERS chase_${name})
endfunction()

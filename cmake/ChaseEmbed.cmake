# chase_embed_files(<target> BASE_DIR <dir> FILES <relative paths>...)
# Compiles the files into <target> as raw string literals, looked up at run time by their
# path relative to BASE_DIR (see core/embedded_data.hpp). Regenerated whenever a file changes.
function(chase_embed_files target)
  cmake_parse_arguments(ARG "" "BASE_DIR" "FILES" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded_data.cpp)
  set(abs_files "")
  foreach(f IN LISTS ARG_FILES)
    list(APPEND abs_files ${ARG_BASE_DIR}/${f})
  endforeach()
  string(REPLACE ";" "|" files_arg "${ARG_FILES}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DBASE_DIR=${ARG_BASE_DIR} "-DFILES=${files_arg}" -DOUT=${out}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${abs_files} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${target} data files"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
  # A bundled trace is one literal of several hundred kB once its chunks are joined; the 64 KiB
  # that -Wpedantic (clang) warns about is the least a compiler must accept, and GCC and clang
  # take far more.
  set_source_files_properties(${out} PROPERTIES COMPILE_OPTIONS -Wno-overlength-strings)
endfunction()

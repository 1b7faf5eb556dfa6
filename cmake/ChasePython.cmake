# Finds what the Python module (python/) needs: Debian's /usr/bin/python3 (so Debian's
# python3-torch imports beside the module) and pybind11 from pybind11-dev. Python is found
# first, so pybind11 uses CMake's FindPython rather than its own older search.
if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python3_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "The Python the module is built for")
endif()
find_package(Python3 COMPONENTS Interpreter Development.Module QUIET)
set(chase_python_found OFF)
if(Python3_FOUND)
  find_package(pybind11 CONFIG QUIET)
  if(pybind11_FOUND)
    set(chase_python_found ON)
  endif()
endif()
option(CHASE_BUILD_PYTHON "Build the Python module chase (pybind11)" ${chase_python_found})
if(NOT chase_python_found)
  if(CHASE_BUILD_PYTHON)
    message(FATAL_ERROR "CHASE_BUILD_PYTHON is ON but Python 3 (Interpreter, Development.Module) or pybind11 was not "
                        "found: install python3-dev and pybind11-dev (scripts/setup), or configure with -DCHASE_BUILD_PYTHON=OFF")
  endif()
  message(STATUS "chase: the Python module is not built: Python 3 with its headers or pybind11 not found "
                 "(Debian: python3-dev, pybind11-dev; scripts/setup installs them)")
endif()

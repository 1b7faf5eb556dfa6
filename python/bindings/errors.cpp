// The library's errors as Python exceptions, each carrying the library's one-line message:
// bad input (InputError, ParseError) is a ValueError; the rest are ChaseError and its kinds.

#include <Python.h>

#include "bindings.hpp"
#include "core/error.hpp"

namespace py = pybind11;

namespace chase::python {
namespace {

// Owned for the life of the process: the translator below may run until the interpreter ends.
PyObject* chase_error = nullptr;
PyObject* hardware_error = nullptr;
PyObject* permission_error = nullptr;
PyObject* network_error = nullptr;

PyObject* new_exception(py::module_& m, const char* name, py::handle bases, const char* doc) {
  const std::string qualified = std::string("chase.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), nullptr);
  if (type == nullptr) throw py::error_already_set();
  m.add_object(name, py::handle(type));
  return type;
}

}  // namespace

void bind_errors(py::module_& m) {
  chase_error = new_exception(m, "ChaseError", PyExc_Exception,
                              "A failure of the chase library that is not bad input (chase::Error).");
  hardware_error = new_exception(m, "HardwareError", chase_error,
                                 "A device, driver or sysfs file that does not behave (chase::HardwareError).");
  const py::tuple permission_bases = py::make_tuple(py::handle(hardware_error), py::handle(PyExc_PermissionError));
  permission_error = new_exception(m, "ChasePermissionError", permission_bases,
                                   "The operation needs a privilege the process lacks, e.g. setting a GPU power limit "
                                   "(chase::PermissionError).");
  network_error = new_exception(m, "NetworkError", chase_error,
                                "A remote service failed or answered something unusable (chase::NetworkError).");

  // Most derived first. InputError (and ParseError) are ValueError: the caller can fix them.
  py::register_exception_translator([](std::exception_ptr raised) {
    try {
      if (raised) std::rethrow_exception(raised);
    } catch (const PermissionError& e) {
      PyErr_SetString(permission_error, e.what());
    } catch (const HardwareError& e) {
      PyErr_SetString(hardware_error, e.what());
    } catch (const NetworkError& e) {
      PyErr_SetString(network_error, e.what());
    } catch (const InputError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const Error& e) {
      PyErr_SetString(chase_error, e.what());
    }
  });
}

}  // namespace chase::python

// The extension module `_chase`; the package `chase` (python/chase/__init__.py) re-exports it.

#include "bindings.hpp"

PYBIND11_MODULE(_chase, m) {
  m.doc() = "chase: measure, forecast and cut the carbon footprint of DNN training (the C++ library's bindings)";
  m.attr("__version__") = CHASE_VERSION;
  // Errors first: every other area raises them.
  chase::python::bind_errors(m);
  chase::python::bind_devices(m);
  chase::python::bind_intensity(m);
  chase::python::bind_monitor(m);
  chase::python::bind_forecast(m);
  chase::python::bind_accounting(m);
  chase::python::bind_simulation(m);
  // After monitor (its Measurement) and intensity (the sources they price with).
  chase::python::bind_runs(m);
  chase::python::bind_training(m);
}

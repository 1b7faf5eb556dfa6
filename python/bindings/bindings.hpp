#pragma once
// What the binding files of the module `_chase` share: one bind function per area (module.cpp
// calls them in order: errors first, since the others raise them) and the conversions every
// area uses at the Python boundary (times, JSON, the process's clock).

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>

#include <string_view>

#include "core/clock.hpp"
#include "core/utc_time.hpp"

namespace chase::python {

void bind_errors(pybind11::module_& m);
void bind_devices(pybind11::module_& m);
void bind_intensity(pybind11::module_& m);
void bind_monitor(pybind11::module_& m);
void bind_forecast(pybind11::module_& m);
void bind_accounting(pybind11::module_& m);
void bind_simulation(pybind11::module_& m);
void bind_runs(pybind11::module_& m);
void bind_training(pybind11::module_& m);

// A time from Python: a datetime (a naive one is taken as UTC) or an ISO 8601 string with a
// zone. Throws InputError ("<what>: ...") for a string that is not one, TypeError for anything else.
UtcTime to_utc(const pybind11::handle& value, std::string_view what);
// A timezone-aware datetime in UTC.
pybind11::object to_datetime(UtcTime time);
// The JSON the export layer writes, as Python dicts, lists and numbers.
pybind11::object to_python(const nlohmann::json& value);
// The wall clock every device and source of the module reads; lives as long as the process,
// since devices and sources keep a reference to it.
SystemClock& process_clock();

}  // namespace chase::python

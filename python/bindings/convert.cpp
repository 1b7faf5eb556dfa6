// Times and JSON across the Python boundary (bindings.hpp).

#include <cmath>
#include <string>

#include "bindings.hpp"
#include "core/error.hpp"

namespace py = pybind11;

namespace chase::python {

UtcTime to_utc(const py::handle& value, std::string_view what) {
  if (py::isinstance<py::str>(value)) return UtcTime::parse_iso8601_or_throw(value.cast<std::string>(), what);
  const py::module_ datetime = py::module_::import("datetime");
  if (!py::isinstance(value, datetime.attr("datetime"))) {
    throw py::type_error(std::string(what) + ": expected a datetime.datetime or an ISO 8601 string");
  }
  py::object aware = py::reinterpret_borrow<py::object>(value);
  if (aware.attr("tzinfo").is_none()) {
    aware = aware.attr("replace")(py::arg("tzinfo") = datetime.attr("timezone").attr("utc"));
  }
  const double seconds = aware.attr("timestamp")().cast<double>();
  return UtcTime::from_epoch_ms(static_cast<std::int64_t>(std::llround(seconds * 1000.0)));
}

py::object to_datetime(UtcTime time) {
  const py::module_ datetime = py::module_::import("datetime");
  const py::object utc = datetime.attr("timezone").attr("utc");
  // Whole milliseconds: the epoch plus a timedelta keeps them exact (fromtimestamp rounds floats).
  const py::object epoch = datetime.attr("datetime")(1970, 1, 1, py::arg("tzinfo") = utc);
  return epoch + datetime.attr("timedelta")(py::arg("milliseconds") = time.epoch_ms());
}

py::object to_python(const nlohmann::json& value) { return py::module_::import("json").attr("loads")(value.dump()); }

SystemClock& process_clock() {
  // Never destroyed: devices and sources hold a reference to it until the process ends.
  static SystemClock* clock = new SystemClock();
  return *clock;
}

}  // namespace chase::python

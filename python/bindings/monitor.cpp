// Monitor: named measurement windows over devices (Zeus's ZeusMonitor shape, begin_window /
// end_window), priced by an intensity source, with a Sampler thread reading the devices while
// the Monitor is open. A window's result is a Measurement.

#include <pybind11/stl.h>

#include <cmath>
#include <fmt/format.h>

#include "bindings.hpp"
#include "core/error.hpp"
#include "devices.hpp"
#include "energy/monitor.hpp"
#include "energy/sampler.hpp"
#include "export/window_export.hpp"
#include "measurement.hpp"
#include "sources.hpp"

namespace py = pybind11;

namespace chase::python {
namespace {

// The Monitor and the Sampler thread that reads its devices; the devices and the source stay
// alive as long as this does (the Monitor borrows the feed, the Sampler the Monitor).
class PyMonitor {
 public:
  PyMonitor(std::vector<std::shared_ptr<PowerDevice>> devices, std::optional<PricingFeed> pricing, double interval_ms)
      : pricing_(std::move(pricing)) {
    if (!std::isfinite(interval_ms) || interval_ms < 1 || interval_ms > 3'600'000) {
      throw InputError(fmt::format("interval_ms: {} is not in [1, 3600000] ms", interval_ms));
    }
    if (devices.empty()) throw InputError("Monitor: no device to meter");
    py::gil_scoped_release release;
    monitor_ = std::make_unique<Monitor>(std::move(devices), process_clock(), pricing_ ? pricing_->feed.get() : nullptr);
    sampler_ = std::make_unique<Sampler>(*monitor_, Duration::milliseconds(interval_ms));
  }

  void begin(const std::string& name) {
    py::gil_scoped_release release;
    monitor_->begin(name);
  }
  Measurement end(const std::string& name) {
    py::gil_scoped_release release;
    return {monitor_->end(name), pricing_ ? std::optional<std::string>(pricing_->name) : std::nullopt};
  }
  void close() {
    py::gil_scoped_release release;
    sampler_->stop();
  }
  const Monitor& monitor() const { return *monitor_; }
  const Sampler& sampler() const { return *sampler_; }
  std::optional<std::string> source() const { return pricing_ ? std::optional<std::string>(pricing_->name) : std::nullopt; }

 private:
  std::optional<PricingFeed> pricing_;
  std::unique_ptr<Monitor> monitor_;
  std::unique_ptr<Sampler> sampler_;
};

std::vector<std::shared_ptr<PowerDevice>> devices_from(const py::handle& devices) {
  if (devices.is_none()) return discover(std::nullopt, "/sys/class/powercap", "/proc", std::nullopt, std::nullopt, std::nullopt).selected;
  if (py::isinstance<Devices>(devices)) return devices.cast<const Devices&>().selected;
  // Ids or backends to keep ("nvml", "rapl:package-0"), as discover(devices=...) takes them.
  if (py::isinstance<py::str>(devices)) {
    return discover(std::nullopt, "/sys/class/powercap", "/proc", std::nullopt, std::nullopt,
                    std::vector<std::string>{devices.cast<std::string>()}).selected;
  }
  try {
    return devices.cast<std::vector<std::shared_ptr<PowerDevice>>>();
  } catch (const py::cast_error&) {
  }
  try {
    return discover(std::nullopt, "/sys/class/powercap", "/proc", std::nullopt, std::nullopt,
                    devices.cast<std::vector<std::string>>()).selected;
  } catch (const py::cast_error&) {
    throw py::type_error(fmt::format("devices: {} is not a Devices, a list of Device, or device ids/backends",
                                     std::string(py::repr(devices))));
  }
}

std::optional<double> grams(const std::optional<Mass>& m) {
  return m ? std::optional<double>(m->grams()) : std::nullopt;
}

void bind_parts(py::module_& m) {
  py::class_<DeviceWindowResult>(m, "DeviceMeasurement", "One device's share of a window.")
      .def_readonly("id", &DeviceWindowResult::id)
      .def_readonly("name", &DeviceWindowResult::name)
      .def_readonly("backend", &DeviceWindowResult::backend)
      .def_readonly("estimated", &DeviceWindowResult::estimated)
      .def_property_readonly("energy_j", [](const DeviceWindowResult& d) { return d.energy.joules(); }, "J")
      .def_property_readonly("average_power_w", [](const DeviceWindowResult& d) { return d.average_power.watts(); }, "W")
      .def_property_readonly("carbon_g", [](const DeviceWindowResult& d) { return grams(d.carbon); },
                             "gCO2e; None without a source")
      .def("__repr__", [](const DeviceWindowResult& d) {
        return fmt::format("DeviceMeasurement(id='{}', energy_j={:g})", d.id, d.energy.joules());
      });
  py::class_<IntensitySegment>(m, "Segment", "One step of the source's intensity as far as it falls inside a window.")
      .def_property_readonly("valid_from", [](const IntensitySegment& s) { return to_datetime(s.from); }, "UTC, clipped")
      .def_property_readonly("valid_until", [](const IntensitySegment& s) { return to_datetime(s.until); }, "UTC, clipped")
      .def_property_readonly("intensity_g_per_kwh", [](const IntensitySegment& s) { return s.intensity.g_per_kwh(); })
      .def_readonly("source", &IntensitySegment::source)
      .def_readonly("fallback", &IntensitySegment::fallback)
      .def_property_readonly("energy_j", [](const IntensitySegment& s) { return s.energy.joules(); }, "All devices, J")
      .def_property_readonly("carbon_g", [](const IntensitySegment& s) { return s.carbon.grams(); }, "gCO2e")
      .def("__repr__", [](const IntensitySegment& s) {
        return fmt::format("Segment(intensity_g_per_kwh={:g}, energy_j={:g}, carbon_g={:g})", s.intensity.g_per_kwh(),
                           s.energy.joules(), s.carbon.grams());
      });
}

void bind_measurement(py::module_& m) {
  py::class_<Measurement>(m, "Measurement", "What one window measured: time, energy per device and, with a source, carbon.")
      .def_property_readonly("name", [](const Measurement& x) { return x.window.name; })
      .def_property_readonly("start", [](const Measurement& x) { return to_datetime(x.window.start); }, "UTC")
      .def_property_readonly("end", [](const Measurement& x) { return to_datetime(x.window.end); }, "UTC")
      .def_property_readonly("time_s", [](const Measurement& x) { return x.window.time.seconds(); }, "s")
      .def_property_readonly("energy_j", [](const Measurement& x) { return x.window.energy.joules(); }, "All devices, J")
      .def_property_readonly("energy_per_device_j", [](const Measurement& x) {
        py::dict d;
        for (const DeviceWindowResult& r : x.window.devices) d[py::str(r.id)] = r.energy.joules();
        return d;
      }, "Device id → J")
      .def_property_readonly("average_power_w", [](const Measurement& x) { return x.window.average_power().watts(); }, "W")
      .def_property_readonly("carbon_g", [](const Measurement& x) { return grams(x.window.carbon); },
                             "gCO2e, ∫ P·CI dt on the source's grid, of the energy the source priced "
                             "(energy_without_intensity_j is what it could not, intensity_error why); None without a source")
      .def_property_readonly("estimated", [](const Measurement& x) { return x.window.any_estimated(); },
                             "True when any device's energy is an estimate")
      .def_property_readonly("estimated_devices", [](const Measurement& x) {
        std::vector<std::string> ids;
        for (const DeviceWindowResult& r : x.window.devices) {
          if (r.estimated) ids.push_back(r.id);
        }
        return ids;
      }, "Ids of the devices whose energy is an estimate")
      .def_property_readonly("fallback", [](const Measurement& x) { return x.window.any_fallback(); },
                             "True when a segment's intensity came from a fallback")
      .def_property_readonly("devices", [](const Measurement& x) { return x.window.devices; })
      .def_property_readonly("segments", [](const Measurement& x) { return x.window.segments; })
      .def_property_readonly("energy_without_intensity_j",
                             [](const Measurement& x) { return x.window.energy_without_intensity.joules(); },
                             "Energy the source could not price (it failed), J; not in carbon_g")
      .def_property_readonly("intensity_error", [](const Measurement& x) -> std::optional<std::string> {
        return x.window.intensity_error.empty() ? std::nullopt : std::optional<std::string>(x.window.intensity_error);
      })
      .def_readonly("source", &Measurement::priced_by, "The name of what priced the energy; None without a source")
      .def("to_dict", [](const Measurement& x) { return to_python(window_json(x.window, x.priced_by)); },
           "The window as `chase measure --json` writes one")
      .def("__repr__", [](const Measurement& x) {
        return fmt::format("Measurement(name='{}', time_s={:g}, energy_j={:g}, carbon_g={})", x.window.name,
                           x.window.time.seconds(), x.window.energy.joules(),
                           x.window.carbon ? fmt::format("{:g}", x.window.carbon->grams()) : "None");
      });
}

}  // namespace

void bind_monitor(py::module_& m) {
  bind_parts(m);
  bind_measurement(m);
  py::class_<PyMonitor>(m, "Monitor",
                        "Named measurement windows over devices, as Zeus's ZeusMonitor: begin_window(name) ... "
                        "end_window(name) → Measurement. Windows may nest and overlap. A thread reads the devices every "
                        "interval_ms and where the source's intensity changes, until close() (or the with block's end).")
      .def(py::init([](const py::handle& devices, const py::handle& source, double interval_ms) {
             std::optional<PricingFeed> pricing;
             if (!source.is_none()) pricing = pricing_feed(source);
             return std::make_unique<PyMonitor>(devices_from(devices), std::move(pricing), interval_ms);
           }),
           py::arg("devices") = py::none(), py::arg("source") = py::none(), py::arg("interval_ms") = 100.0,
           "devices: a Devices, a list of Device, or None (discover()); source: an IntensitySource or a constant "
           "intensity in gCO2e/kWh, or None (energy only); interval_ms: sampling period, ms")
      .def("begin_window", &PyMonitor::begin, py::arg("name"), "Opens a window; ValueError if one of that name is open")
      .def("end_window", &PyMonitor::end, py::arg("name"),
           "Closes the window → Measurement; ValueError naming the open windows if none of that name is open")
      .def_property_readonly("open_windows", [](const PyMonitor& p) { return p.monitor().open_windows(); })
      .def_property_readonly("devices", [](const PyMonitor& p) { return p.monitor().devices(); })
      .def_property_readonly("source", &PyMonitor::source, "The name of what prices the energy; None without a source")
      .def_property_readonly("samples", [](const PyMonitor& p) { return p.sampler().samples_taken(); },
                             "Reads the sampling thread has made")
      .def_property_readonly("sampling_errors", [](const PyMonitor& p) { return p.sampler().errors(); })
      .def("close", &PyMonitor::close, "Stops the sampling thread (idempotent); windows can still be ended")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](PyMonitor& p, const py::args&) { p.close(); });
}

}  // namespace chase::python

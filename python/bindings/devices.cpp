// Devices and their discovery: discover() → Devices (the metered devices and every device not
// metered, with why), Device (one PowerDevice: energy counter, power, power limits).

#include <pybind11/stl.h>

#include <cmath>
#include <fmt/format.h>

#include "account/cpu_tdp.hpp"
#include "bindings.hpp"
#include "core/error.hpp"
#include "devices.hpp"
#include "energy/cpu_model.hpp"
#include "energy/device_selection.hpp"
#include "energy/device_status.hpp"
#include "export/devices_export.hpp"

namespace py = pybind11;

namespace chase::python {
namespace {

// The estimated CPU's TDP as `chase devices` picks it: given, from a CPU preset, else from the
// preset /proc/cpuinfo names (else the default preset).
void set_cpu_tdp(DiscoveryOptions& o, std::optional<double> tdp_w, const std::optional<std::string>& processor) {
  if (tdp_w && processor) throw InputError("give cpu_tdp_w or cpu_processor, not both");
  if (tdp_w) {
    if (!std::isfinite(*tdp_w) || *tdp_w <= 0 || *tdp_w > 5000) {
      throw InputError(fmt::format("cpu_tdp_w: {} is not a TDP in (0, 5000] W", *tdp_w));
    }
    o.cpu_tdp = Power::watts(*tdp_w);
    o.cpu_tdp_source = "cpu_tdp_w";
    return;
  }
  const CpuTdp tdp = processor ? preset_tdp(cpu_preset(*processor), "cpu_processor")
                               : cpu_tdp_for_model(read_cpu_model_name(o.proc_root));
  o.cpu_tdp = tdp.tdp;
  o.cpu_tdp_source = tdp.source;
}

std::optional<double> limit_w(PowerDevice& d, Power (PowerDevice::*read)()) {
  if (!d.supports_power_limit()) return std::nullopt;
  py::gil_scoped_release release;
  return ((d).*read)().watts();
}

void bind_entry(py::module_& m) {
  py::class_<DeviceEntry>(m, "DeviceEntry", "A device discovery found or was asked for: how it is metered, or why not.")
      .def_readonly("id", &DeviceEntry::id, "'nvml:0', 'rapl:package-0', 'estimated:cpu', or a backend's name")
      .def_readonly("name", &DeviceEntry::name)
      .def_readonly("backend", &DeviceEntry::backend)
      .def_property_readonly("metering", [](const DeviceEntry& e) { return to_string(e.metering); },
                             "'counter', 'power-integration', 'estimate' or 'none'")
      .def_property_readonly("metered", &DeviceEntry::metered)
      .def_readonly("reason", &DeviceEntry::reason, "How it is metered, or why it is not (one line)")
      .def_readonly("detail", &DeviceEntry::detail)
      .def("__repr__", [](const DeviceEntry& e) {
        return fmt::format("DeviceEntry(id='{}', name='{}', metering='{}', reason='{}')", e.id, e.name, to_string(e.metering),
                           e.reason);
      });
  py::class_<BackendReport>(m, "BackendReport", "What one backend (nvml, rapl, estimated) found, or why nothing.")
      .def_readonly("backend", &BackendReport::backend)
      .def_property_readonly("state", [](const BackendReport& r) { return to_string(r.state); },
                             "'available', 'absent', 'no-permission', 'failed' or 'not-used'")
      .def_readonly("detail", &BackendReport::detail)
      .def_readonly("notes", &BackendReport::notes)
      .def("__repr__", [](const BackendReport& r) {
        return fmt::format("BackendReport(backend='{}', state='{}', detail='{}')", r.backend, to_string(r.state), r.detail);
      });
}

void bind_device(py::module_& m) {
  py::class_<PowerDevice, std::shared_ptr<PowerDevice>>(m, "Device", "One metered device: a GPU, a CPU package or DRAM, an estimated CPU.")
      .def_property_readonly("id", &PowerDevice::id, "Stable within a process: 'nvml:0', 'rapl:package-0'")
      .def_property_readonly("name", &PowerDevice::name)
      .def_property_readonly("backend", &PowerDevice::backend, "'nvml', 'rapl' or 'estimated'")
      .def_property_readonly("estimated", &PowerDevice::estimated, "True when its energy is a model, not a measurement")
      .def_property_readonly("has_energy_counter", &PowerDevice::has_energy_counter,
                             "False when energy integrates power polls (then only a Monitor's sampling counts it)")
      .def_property_readonly("detail", &PowerDevice::detail, "UUID of a GPU, sysfs zone, or the estimate's model")
      .def_property_readonly("uuid", [](const PowerDevice& d) -> std::optional<std::string> {
        if (d.backend() != "nvml") return std::nullopt;
        const std::string detail = d.detail();
        return detail.substr(0, detail.find(','));
      }, "A GPU's UUID; None for other devices")
      .def("energy_j", [](PowerDevice& d) {
        py::gil_scoped_release release;
        return d.energy().joules();
      }, "The device's energy counter now, J, from an arbitrary origin (differences are what count)")
      .def("power_w", [](PowerDevice& d) -> std::optional<double> {
        py::gil_scoped_release release;
        const auto p = d.power();
        return p ? std::optional<double>(p->watts()) : std::nullopt;
      }, "Instantaneous power, W; None where the backend has none")
      .def_property_readonly("supports_power_limit", &PowerDevice::supports_power_limit)
      .def_property_readonly("power_limit_w", [](PowerDevice& d) { return limit_w(d, &PowerDevice::power_limit); },
                             "The power limit now, W; None without a settable limit")
      .def_property_readonly("default_power_limit_w", [](PowerDevice& d) { return limit_w(d, &PowerDevice::default_power_limit); },
                             "The limit the device starts with, W; None without a settable limit")
      .def_property_readonly("power_limit_range_w", [](PowerDevice& d) -> std::optional<std::pair<double, double>> {
        if (!d.supports_power_limit()) return std::nullopt;
        py::gil_scoped_release release;
        const PowerLimitRange r = d.power_limit_range();
        return std::pair<double, double>(r.min.watts(), r.max.watts());
      }, "(min, max) of the settable limit, W; None without one")
      .def("set_power_limit_w", [](PowerDevice& d, double watts) {
        if (!std::isfinite(watts) || watts <= 0) throw InputError(fmt::format("power limit {} W is not a positive number", watts));
        py::gil_scoped_release release;
        d.set_power_limit(Power::watts(watts));
      }, py::arg("watts"),
           "Sets the power limit, W (it stays set after the process ends; set default_power_limit_w back to restore). "
           "Raises HardwareError without a settable limit, ChasePermissionError without the privilege.")
      .def("__repr__", [](const PowerDevice& d) {
        return fmt::format("Device(id='{}', name='{}', backend='{}', estimated={})", d.id(), d.name(), d.backend(),
                           d.estimated() ? "True" : "False");
      });
}

}  // namespace

std::vector<DeviceEntry> Devices::not_metered() const {
  std::vector<DeviceEntry> out;
  for (const DeviceEntry& e : found.metering(selected, "left out by devices=")) {
    if (!e.metered()) out.push_back(e);
  }
  return out;
}

Devices discover(const std::optional<std::string>& nvml_library, const std::string& powercap_root,
                 const std::string& proc_root, std::optional<double> cpu_tdp_w,
                 const std::optional<std::string>& cpu_processor, const std::optional<std::vector<std::string>>& wanted) {
  DiscoveryOptions o = discovery_options(nvml_library);
  o.powercap_root = powercap_root;
  o.proc_root = proc_root;
  set_cpu_tdp(o, cpu_tdp_w, cpu_processor);
  Devices d;
  {
    py::gil_scoped_release release;
    d.found = discover_devices(o, process_clock());
  }
  d.selected = select_devices(d.found.devices, wanted.value_or(std::vector<std::string>{}));
  return d;
}

void bind_devices(py::module_& m) {
  bind_entry(m);
  bind_device(m);
  py::class_<Devices>(m, "Devices", "What discover() found: the devices to meter, and every one not metered with why.")
      .def_readonly("devices", &Devices::selected, "The metered devices (those asked for by devices=, else all)")
      .def_property_readonly("metering", [](const Devices& d) { return d.found.metering(d.selected, "left out by devices="); },
                             "Every device, metered or not, backend by backend")
      .def_property_readonly("not_metered", &Devices::not_metered, "The entries not metered, each with its reason")
      .def_property_readonly("backends", [](const Devices& d) { return d.found.backends; })
      .def("to_dict", [](const Devices& d) { return to_python(devices_json(d.found)); }, "As `chase devices --json`")
      .def("__len__", [](const Devices& d) { return d.selected.size(); })
      .def("__iter__", [](const Devices& d) { return py::iter(py::cast(d.selected)); })
      .def("__repr__", [](const Devices& d) {
        return fmt::format("Devices([{}], not metered: {})", fmt::join(device_ids(d.selected), ", "), d.not_metered().size());
      });
  m.def("discover", &discover, py::arg("nvml_library") = py::none(), py::arg("powercap_root") = "/sys/class/powercap",
        py::arg("proc_root") = "/proc", py::arg("cpu_tdp_w") = py::none(), py::arg("cpu_processor") = py::none(),
        py::arg("devices") = py::none(),
        "Finds the devices to meter: NVIDIA GPUs through NVML (nvml_library, else $CHASE_NVML_LIBRARY, else "
        "libnvidia-ml.so.1; honouring CUDA_VISIBLE_DEVICES), CPU packages and DRAM through RAPL (powercap_root), else an "
        "estimated CPU from /proc/stat (proc_root) x its TDP (cpu_tdp_w in W, or the TDP of the CPU preset "
        "cpu_processor, else the preset /proc/cpuinfo names). devices: ids ('nvml:0') or backends ('rapl') to keep.");
}

}  // namespace chase::python

// _TrackedRun: a stretch of this Python process metered and recorded in the run store
// (runs/tracked_run.hpp). chase.track and chase.torch are its Python front ends; in a
// data-parallel job, rank 0's run also lists the other ranks' devices and adds their totals.

#include <pybind11/stl.h>

#include <fmt/format.h>

#include <cmath>

#include "bindings.hpp"
#include "carbon/intensity_basis.hpp"
#include "carbon/intensity_source.hpp"
#include "core/error.hpp"
#include "measurement.hpp"
#include "runs/tracked_run.hpp"
#include "sources.hpp"
#include "tracked_run_handle.hpp"

namespace py = pybind11;

namespace chase::python {

PyTrackedRun::PyTrackedRun(std::vector<std::shared_ptr<PowerDevice>> devices, std::vector<DeviceEntry> entries,
                           const py::handle& source, const std::optional<std::string>& db, bool record,
                           TrackSettings settings) {
  if (devices.empty()) throw InputError("no device to meter");
  if (!source.is_none()) {
    pricing_ = pricing_feed(source);
    settings.intensity_source = pricing_->name;
    if (py::isinstance<IntensitySource>(source)) {
      settings.intensity_basis = intensity_basis(source.cast<const IntensitySource&>());
    }
  }
  py::gil_scoped_release release;
  if (record) {
    const std::filesystem::path path = db ? std::filesystem::path(*db) : default_run_store_path();
    try {
      store_ = std::make_unique<RunStore>(path);
    } catch (const InputError&) {
      throw;
    } catch (const Error& e) {
      // A store named on purpose that cannot be opened is the caller's mistake; the default
      // place failing (a read-only home) is too, here: a library call does not warn on stderr.
      throw InputError(fmt::format("{}{}", db ? "db: " : "", e.what()));
    }
  }
  run_ = std::make_unique<TrackedRun>(std::move(devices), entries, process_clock(),
                                      pricing_ ? pricing_->feed.get() : nullptr, store_.get(), std::move(settings));
}

TrackedResult PyTrackedRun::finish(const std::string& status, const std::optional<std::string>& note,
                                   const std::vector<RankDeviceTotals>& others) {
  const std::optional<RunStatus> parsed = parse_run_status(status);
  if (!parsed || *parsed == RunStatus::kRunning) {
    throw InputError(fmt::format("status: '{}' is not one of completed, failed, interrupted", status));
  }
  py::gil_scoped_release release;
  return run_->finish(*parsed, note, others);
}

std::optional<std::string> PyTrackedRun::priced_by() const {
  return pricing_ ? std::optional<std::string>(pricing_->name) : std::nullopt;
}

namespace {

std::optional<double> grams_of(const std::optional<Mass>& m) { return m ? std::optional<double>(m->grams()) : std::nullopt; }

RunDevice other_device(const py::dict& d) {
  RunDevice out;
  out.rank = d["rank"].cast<int>();
  out.device_id = d["id"].cast<std::string>();
  out.name = d.contains("name") ? d["name"].cast<std::string>() : out.device_id;
  out.uuid = d.contains("uuid") && !d["uuid"].is_none() ? d["uuid"].cast<std::string>() : "";
  out.backend = d.contains("backend") ? d["backend"].cast<std::string>() : "";
  out.metering = d.contains("metering") ? d["metering"].cast<std::string>() : "counter";
  out.reason = d.contains("reason") ? d["reason"].cast<std::string>() : "";
  out.estimated = d.contains("estimated") && d["estimated"].cast<bool>();
  return out;
}

}  // namespace

void bind_runs(py::module_& m) {
  py::class_<TrackedResult>(m, "TrackedResult", "How a tracked run ended: this process's window and every rank's sums.")
      .def_property_readonly("measurement", [](const TrackedResult& r) { return Measurement{r.window, std::nullopt}; },
                             "This process's devices over the whole run")
      .def_property_readonly("time_s", [](const TrackedResult& r) { return r.window.time.seconds(); }, "s")
      .def_property_readonly("energy_j", [](const TrackedResult& r) { return r.energy.joules(); }, "Every rank's devices, J")
      .def_property_readonly("carbon_g", [](const TrackedResult& r) { return grams_of(r.carbon); },
                             "Every rank's, gCO2e; None without a source")
      .def_readonly("samples", &TrackedResult::samples)
      .def("__repr__", [](const TrackedResult& r) {
        return fmt::format("TrackedResult(time_s={:g}, energy_j={:g}, carbon_g={})", r.window.time.seconds(),
                           r.energy.joules(), r.carbon ? fmt::format("{:g}", r.carbon->grams()) : "None");
      });

  py::class_<PyTrackedRun>(m, "_TrackedRun", "The native run under chase.track / chase.torch (use those).")
      .def(py::init([](std::vector<std::shared_ptr<PowerDevice>> devices, std::vector<DeviceEntry> entries,
                       py::object source, std::optional<std::string> db, bool record, std::string kind,
                       std::vector<std::string> command, double interval_ms, std::optional<int> rank,
                       std::vector<py::dict> other_devices) {
             if (!std::isfinite(interval_ms) || interval_ms < 1 || interval_ms > 3'600'000) {
               throw InputError(fmt::format("interval_ms: {} is not in [1, 3600000] ms", interval_ms));
             }
             TrackSettings settings;
             settings.kind = std::move(kind);
             settings.command = std::move(command);
             settings.interval = Duration::milliseconds(interval_ms);
             settings.rank = rank;
             for (const py::dict& d : other_devices) settings.other_devices.push_back(other_device(d));
             return std::make_unique<PyTrackedRun>(std::move(devices), std::move(entries), source, db, record,
                                                   std::move(settings));
           }),
           py::arg("devices"), py::arg("entries"), py::arg("source") = py::none(), py::arg("db") = py::none(),
           py::arg("record") = true, py::arg("kind") = "track", py::arg("command") = std::vector<std::string>{},
           py::arg("interval_ms") = 100.0, py::arg("rank") = py::none(),
           py::arg("other_devices") = std::vector<py::dict>{})
      .def_property_readonly("id", [](const PyTrackedRun& r) { return r.run().id(); }, "The run's id in the store; None when not recorded")
      .def_property_readonly("db_path", [](const PyTrackedRun& r) -> std::optional<std::string> {
        const auto p = r.run().store_path();
        return p ? std::optional<std::string>(p->string()) : std::nullopt;
      })
      .def_property_readonly("finished", [](const PyTrackedRun& r) { return r.run().finished(); })
      .def("begin_window", [](PyTrackedRun& r, const std::string& name) {
        py::gil_scoped_release release;
        r.run().monitor().begin(name);
      }, py::arg("name"))
      .def("end_window", [](PyTrackedRun& r, const std::string& name) {
        WindowResult w;
        {
          py::gil_scoped_release release;
          w = r.run().monitor().end(name);
        }
        return Measurement{std::move(w), r.priced_by()};
      }, py::arg("name"))
      .def("discard", [](PyTrackedRun& r) {
        py::gil_scoped_release release;
        r.run().discard();
      }, "Stops metering and removes the run from the store (a set-up that failed records nothing)")
      .def("finish", [](PyTrackedRun& r, const std::string& status, std::optional<std::string> note,
                        std::vector<py::tuple> others) {
        std::vector<RankDeviceTotals> totals;
        for (const py::tuple& t : others) {
          if (t.size() != 4) throw InputError("others: each entry is (rank, device_id, energy_j, carbon_g or None)");
          RankDeviceTotals o;
          o.rank = t[0].cast<int>();
          o.device_id = t[1].cast<std::string>();
          o.energy = Energy::joules(t[2].cast<double>());
          if (!t[3].is_none()) o.carbon = Mass::grams(t[3].cast<double>());
          totals.push_back(std::move(o));
        }
        return r.finish(status, note, totals);
      }, py::arg("status") = "completed", py::arg("note") = py::none(), py::arg("others") = std::vector<py::tuple>{});
}

}  // namespace chase::python

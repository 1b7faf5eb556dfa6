// The simulator: simulate() runs one training job on a GPU power profile under a policy and a
// recorded intensity trace, beside the `max` baseline on the same inputs (as `chase simulate`).

#include <pybind11/stl.h>

#include <cmath>
#include <fmt/format.h>

#include "bindings.hpp"
#include "carbon/forecast/forecaster.hpp"
#include "control/frame_grid.hpp"
#include "control/job_spec.hpp"
#include "core/error.hpp"
#include "export/simulation_export.hpp"
#include "sim/data_sets.hpp"
#include "sim/simulator.hpp"

namespace py = pybind11;

namespace chase::python {
namespace {

struct Simulation {
  SimulationInputs inputs;
  PolicyComparison comparison;
};

// A span in hours within (0, ten years] (or [0, ...] where zero is allowed), else InputError naming it.
Duration hours_of(const char* name, double hours, bool zero_allowed) {
  if (!std::isfinite(hours) || hours < 0 || (!zero_allowed && hours == 0) || hours > kLongestJobHours) {
    throw InputError(fmt::format("{}: {} is not a number of hours in {}0, {:g}]", name, hours, zero_allowed ? "[" : "(",
                                 kLongestJobHours));
  }
  return Duration::hours(hours);
}

// The job as `chase simulate`'s flags describe it (cli/simulation_flags.cpp), from keywords.
JobSpec job_spec(double work_hours, std::optional<double> budget, std::optional<double> frame_minutes,
                 const std::string& forecaster, double history_hours, const std::map<std::string, double>& parameters) {
  JobSpec job;
  job.work_at_max = hours_of("work_hours", work_hours, false);
  if (budget && (!(*budget >= 0) || *budget > 10)) {
    throw InputError(fmt::format("slowdown_budget: {} is not a fraction between 0 and 10 (0.025 = +2.5 %) or None", *budget));
  }
  job.slowdown_budget = budget;
  if (frame_minutes) {
    if (!std::isfinite(*frame_minutes) || *frame_minutes <= 0 || *frame_minutes > kLongestJobHours * 60) {
      throw InputError(fmt::format("frame_minutes: {} is not a number of minutes in (0, {:g}] or None (the trace's grid)",
                                   *frame_minutes, kLongestJobHours * 60));
    }
    job.frame_length = Duration::minutes(*frame_minutes);
    FrameGrid::fixed(*job.frame_length);
  }
  job.forecaster = forecaster;
  job.history = hours_of("history_hours", history_hours, true);
  for (const PolicyParameter& p : policy_parameters()) job.policy_parameters[p.name] = p.default_value;
  for (const auto& [name, value] : parameters) {
    if (job.policy_parameters.count(name) == 0) throw InputError(fmt::format("parameters: no policy takes '{}'", name));
    job.policy_parameters[name] = value;
  }
  return job;
}

Simulation simulate(const std::string& trace_name, const std::string& profile_name, const std::string& policy_name,
                    const py::handle& start, double work_hours, std::optional<double> budget,
                    std::optional<double> frame_minutes, const std::string& forecaster, double history_hours,
                    const std::map<std::string, double>& parameters) {
  SimulationInputs in;
  in.setup.job = job_spec(work_hours, budget, frame_minutes, forecaster, history_hours, parameters);
  std::optional<UtcTime> start_at;
  if (!start.is_none()) start_at = to_utc(start, "start");
  py::gil_scoped_release release;
  const IntensityTrace trace = IntensityTrace::load(trace_name);
  const PowerProfile profile = PowerProfile::load(profile_name);
  in.policy = policy_name;
  in.trace = data_name(trace.source());
  in.profile = data_name(profile.source());
  in.work_hours = work_hours;
  // A day in, by default, so that the online policies have a day of history behind them.
  in.setup.start = start_at.value_or(trace.start() + Duration::days(1));
  PolicyOptions options = in.setup.job.policy_options();
  options.future = &trace;
  const auto policy = make_policy(policy_name, options);
  const Simulator sim(trace, profile);
  const SimulationResult baseline = sim.run(baseline_policy_name(), in.setup);
  PolicyComparison comparison = compare_with_max(sim.run(*policy, in.setup), baseline);
  return {std::move(in), std::move(comparison)};
}

void bind_run(py::module_& m) {
  py::class_<SimulationResult>(m, "PolicyRun", "One policy's simulated run.")
      .def_readonly("policy", &SimulationResult::policy)
      .def_property_readonly("time_s", [](const SimulationResult& r) { return r.time.seconds(); }, "Start to end of the job, s")
      .def_property_readonly("energy_j", [](const SimulationResult& r) { return r.energy.joules(); })
      .def_property_readonly("carbon_g", [](const SimulationResult& r) { return r.carbon.grams(); })
      .def_readonly("work_units", &SimulationResult::work_units, "In the profile's units")
      .def_readonly("frame_count", &SimulationResult::frame_count)
      .def_property_readonly("time_per_limit_s", [](const SimulationResult& r) {
        py::dict d;
        for (const auto& [limit, time] : r.time_per_limit()) d[py::float_(limit)] = time.seconds();
        return d;
      }, "Power limit (W) → time run at it (s), highest limit first")
      .def_property_readonly("frames", [](const SimulationResult& r) { return to_python(frames_json(r)); },
                             "Every frame's decision, as dicts (limit_w, predicted/actual_g_per_kwh, energy_j, carbon_g)")
      .def("__repr__", [](const SimulationResult& r) {
        return fmt::format("PolicyRun(policy='{}', time_s={:g}, energy_j={:g}, carbon_g={:g})", r.policy, r.time.seconds(),
                           r.energy.joules(), r.carbon.grams());
      });
}

}  // namespace

void bind_simulation(py::module_& m) {
  bind_run(m);
  py::class_<Simulation>(m, "SimulationResult", "A simulated job under a policy, beside the `max` baseline.")
      .def_property_readonly("policy", [](const Simulation& s) { return s.inputs.policy; })
      .def_property_readonly("trace", [](const Simulation& s) { return s.inputs.trace; })
      .def_property_readonly("profile", [](const Simulation& s) { return s.inputs.profile; })
      .def_property_readonly("start", [](const Simulation& s) { return to_datetime(s.inputs.setup.start); }, "UTC")
      .def_property_readonly("work_hours", [](const Simulation& s) { return s.inputs.work_hours; })
      .def_property_readonly("run", [](const Simulation& s) { return s.comparison.run; })
      .def_property_readonly("baseline", [](const Simulation& s) { return s.comparison.baseline; }, "The `max` policy's run")
      .def_property_readonly("policies", [](const Simulation& s) {
        py::dict d;
        d[py::str(s.comparison.baseline.policy)] = s.comparison.baseline;
        d[py::str(s.comparison.run.policy)] = s.comparison.run;
        return d;
      }, "Policy name → PolicyRun (the baseline and the policy)")
      .def_property_readonly("time_s", [](const Simulation& s) { return s.comparison.run.time.seconds(); })
      .def_property_readonly("energy_j", [](const Simulation& s) { return s.comparison.run.energy.joules(); })
      .def_property_readonly("carbon_g", [](const Simulation& s) { return s.comparison.run.carbon.grams(); })
      .def_property_readonly("slowdown_pct", [](const Simulation& s) { return s.comparison.slowdown_pct; },
                             "Time ÷ time under max − 1, %")
      .def_property_readonly("carbon_saved_pct", [](const Simulation& s) { return s.comparison.carbon_saved_pct; }, "vs max, %")
      .def_property_readonly("energy_saved_pct", [](const Simulation& s) { return s.comparison.energy_saved_pct; }, "vs max, %")
      .def("to_dict", [](const Simulation& s) { return to_python(simulation_json(s.inputs, s.comparison)); },
           "As `chase simulate --json`")
      .def("__repr__", [](const Simulation& s) {
        return fmt::format("SimulationResult(policy='{}', carbon_g={:g}, carbon_saved_pct={:.2f}, slowdown_pct={:.2f})",
                           s.inputs.policy, s.comparison.run.carbon.grams(), s.comparison.carbon_saved_pct,
                           s.comparison.slowdown_pct);
      });
  m.def("policies", &policy_names, "The registered power-limit policies");
  m.def("simulate", &simulate, py::kw_only(), py::arg("trace") = "gb-2020", py::arg("profile") = "a40-resnet50",
        py::arg("policy") = default_policy_name(), py::arg("start") = py::none(), py::arg("work_hours") = 24.0,
        py::arg("slowdown_budget") = 0.025, py::arg("frame_minutes") = 5.0, py::arg("forecaster") = default_forecaster_name(),
        py::arg("history_hours") = 24.0, py::arg("parameters") = std::map<std::string, double>{},
        "Simulates a job of work_hours (h at the maximum limit) on a GPU profile (CSV or bundled name) under a policy and "
        "an intensity trace (CSV or bundled name), from start (datetime/ISO 8601; default a day into the trace), beside "
        "max. slowdown_budget: a fraction (None: the policy's own trade-off); frame_minutes: None for the trace's grid; "
        "parameters: the policies' parameters by name ({'eta': 0.5})");
}

}  // namespace chase::python

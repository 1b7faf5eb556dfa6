// _TrainingController: Chase inside a training loop (control/training_controller.hpp), the
// native half of chase.torch. The Python half owns the loop's hooks and, in a data-parallel job,
// the collectives (torch.distributed) that combine the ranks' profiles and broadcast the
// leader's limit; this half profiles, controls, and restores the limits.

#include <pybind11/stl.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "bindings.hpp"
#include "control/training_controller.hpp"
#include "core/error.hpp"
#include "limits/abandoned_limits.hpp"
#include "limits/daemon_power_device.hpp"
#include "sources.hpp"
#include "tracked_run_handle.hpp"

namespace py = pybind11;

namespace chase::python {
namespace {

using ProfileRows = std::vector<std::tuple<double, double, double>>;  // (limit_w, time_s, energy_j)

ProfileRows rows_of(const PowerProfile& p) {
  ProfileRows out;
  for (const ProfilePoint& point : p.points()) out.emplace_back(point.limit.watts(), point.time.seconds(), point.energy.joules());
  return out;
}

PowerProfile profile_of(const ProfileRows& rows, const std::string& name) {
  std::vector<ProfilePoint> points;
  for (const auto& [limit, time, energy] : rows) {
    if (!std::isfinite(limit) || !std::isfinite(time) || !std::isfinite(energy) || limit <= 0 || time <= 0 || energy <= 0) {
      throw InputError(fmt::format("profile: ({}, {}, {}) is not a positive (limit_w, time_s, energy_j)", limit, time, energy));
    }
    points.push_back({Power::watts(limit), Duration::seconds(time), Energy::joules(energy)});
  }
  if (points.empty()) throw InputError("profile: no points");
  return PowerProfile(name, std::move(points));
}

class PyTrainingController {
 public:
  PyTrainingController(std::vector<std::shared_ptr<PowerDevice>> gpus, const py::handle& source, PyTrackedRun* run,
                       TrainingSettings settings)
      : run_(run) {
    if (!source.is_none()) {
      pricing_ = pricing_feed(source);
    } else if (run == nullptr || run->feed() == nullptr) {
      throw InputError("source: control needs an intensity source (a TraceSource, RegionSource, LiveSource or a number)");
    }
    IntensityFeed& feed = pricing_ ? *pricing_->feed : *run->feed();
    if (run_ != nullptr) settings.on_decision = run_->run().decision_recorder();
    py::gil_scoped_release release;
    // Unprivileged, the limits go through chased ($CHASE_DAEMON_SOCKET, or its default socket),
    // which restores them however this process ends; energy is still read directly. Without
    // it, as `chase run` does: restore what a killed process left, then record the originals.
    const EnvironmentLookup env = process_environment();
    if (auto daemon = connect_limit_daemon(std::nullopt, env)) {
      route_limits_through_daemon(gpus, daemon);
    } else {
      hold_limits_here(gpus, env);
    }
    controller_ = std::make_unique<TrainingController>(std::move(gpus), feed, process_clock(), log_, std::move(settings));
  }

  TrainingController& get() { return *controller_; }
  const DecisionLog& log() const { return log_; }

  void start_control(const PowerProfile& profile) {
    py::gil_scoped_release release;
    controller_->start_control(profile);
    record_profile(profile);
  }
  TrainingResult finish() {
    TrainingResult r;
    {
      py::gil_scoped_release release;
      r = controller_->finish();
    }
    // The limits are restored: nothing is left for a later process to restore. A limit that could
    // not be restored keeps the record, for the next chase to try.
    if (r.restore_errors.empty()) record_.reset();
    if (r.profile) record_profile(*r.profile);
    return r;
  }

 private:
  void record_profile(const PowerProfile& profile) {
    if (run_ != nullptr && run_->run().recorder() != nullptr) run_->run().recorder()->record_profile(profile);
  }

  // limits/abandoned_limits.hpp: a record of a killed process restored, or said and refused;
  // this process's own record written before any limit changes.
  void hold_limits_here(const std::vector<std::shared_ptr<PowerDevice>>& gpus, const EnvironmentLookup& env) {
    const AbandonedLimits left = recover_abandoned_limits(limit_record_dirs(env), gpus);
    for (const std::string& line : left.restored) std::fprintf(stderr, "chase: %s\n", line.c_str());
    for (const std::string& line : left.left_lowered) std::fprintf(stderr, "chase: warning: %s\n", line.c_str());
    for (const auto& gpu : gpus) {
      if (std::find(left.lowered_ids.begin(), left.lowered_ids.end(), gpu->hardware_id()) != left.lowered_ids.end()) {
        throw HardwareError(fmt::format(
            "{} is left lowered by a chase that was killed: restore its original limit before controlling it", gpu->id()));
      }
    }
    std::vector<PowerDevice*> settable;
    for (const auto& gpu : gpus) settable.push_back(gpu.get());
    record_.emplace(limit_record_dir(env), limit_record_dirs(env), settable);
  }

  std::optional<PricingFeed> pricing_;
  PyTrackedRun* run_;
  std::optional<LimitRecordFile> record_;  // before controller_: removed after it restored the limits
  DecisionLog log_;
  std::unique_ptr<TrainingController> controller_;  // last: finished before the log goes
};

py::dict drift_dict(const ProfileDrift& d) {
  py::dict out;
  out["limit_w"] = d.limit.watts();
  out["profile_steps_per_s"] = d.profile_rate_per_s;
  out["measured_steps_per_s"] = d.measured_rate_per_s;
  out["seen_at"] = to_datetime(d.seen_at);
  out["description"] = d.describe("steps");
  return out;
}

py::dict decision_dict(const Decision& d) {
  py::dict out;
  out["from"] = to_datetime(d.from);
  out["until"] = to_datetime(d.until);
  out["limit_w"] = d.limit.watts();
  out["predicted_g_per_kwh"] = d.predicted.g_per_kwh();
  out["actual_g_per_kwh"] = d.actual ? py::cast(d.actual->g_per_kwh()) : py::none();
  out["work_done_steps"] = d.work_done_units;
  out["source"] = d.source;
  out["fallback"] = d.fallback;
  return out;
}

}  // namespace

void bind_training(py::module_& m) {
  py::class_<TrainingResult>(m, "TrainingResult", "How a controlled training loop ended.")
      .def_readonly("steps", &TrainingResult::steps)
      .def_readonly("epochs", &TrainingResult::epochs)
      .def_readonly("profiling_steps", &TrainingResult::profiling_steps, "Steps run while the limits were profiled")
      .def_property_readonly("profile", [](const TrainingResult& r) -> std::optional<ProfileRows> {
        return r.profile ? std::optional<ProfileRows>(rows_of(*r.profile)) : std::nullopt;
      }, "The profile control ran with: (limit_w, time_s per step, energy_j per step), or None")
      .def_property_readonly("frames", [](const TrainingResult& r) -> std::size_t {
        return r.control ? r.control->outcome.frames : 0;
      })
      .def_property_readonly("end", [](const TrainingResult& r) -> std::optional<std::string> {
        if (!r.control) return std::nullopt;
        switch (r.control->outcome.end) {
          case FrameLoopEnd::kWorkDone: return std::string("work-done");
          case FrameLoopEnd::kJobEnded: return std::string("job-ended");
          case FrameLoopEnd::kStopped: return std::string("stopped");
        }
        return std::nullopt;
      }, "Why control ended: work-done, job-ended, stopped; None when it never started")
      .def_property_readonly("drift", [](const TrainingResult& r) -> py::object {
        if (!r.control || !r.control->drift) return py::none();
        return drift_dict(*r.control->drift);
      }, "Where the steps first ran off the profile: {limit_w, profile_steps_per_s, measured_steps_per_s, "
         "seen_at, description}; None if they never did")
      .def_property_readonly("corrected_profile", [](const TrainingResult& r) -> std::optional<ProfileRows> {
        if (!r.control || !r.control->corrected) return std::nullopt;
        return rows_of(*r.control->corrected);
      }, "After a drift: the profile learned from the run, (limit_w, time_s per step, energy_j per step) at the "
         "job's starting speed; None otherwise")
      .def_property_readonly("corrected_profile_saved_to", [](const TrainingResult& r) -> std::optional<std::string> {
        if (!r.control || !r.control->corrected_saved_to) return std::nullopt;
        return r.control->corrected_saved_to->string();
      }, "Where the corrected profile was written (save_corrected_profile), or None")
      .def_property_readonly("save_error", [](const TrainingResult& r) -> std::optional<std::string> {
        return r.control ? r.control->save_error : std::nullopt;
      }, "Why a profile could not be saved, or None")
      .def_readonly("restore_errors", &TrainingResult::restore_errors)
      .def_readonly("error", &TrainingResult::error, "What ended control early; empty if nothing")
      .def("__repr__", [](const TrainingResult& r) {
        return fmt::format("TrainingResult(steps={}, epochs={}, profiling_steps={}, frames={})", r.steps, r.epochs,
                           r.profiling_steps, r.control ? r.control->outcome.frames : 0);
      });

  py::class_<PyTrainingController>(m, "_TrainingController", "The native controller under chase.torch (use that).")
      .def(py::init([](std::vector<std::shared_ptr<PowerDevice>> gpus, py::object source, PyTrackedRun* run,
                       std::int64_t total_steps, std::string policy, std::optional<double> slowdown_budget,
                       std::string forecaster, std::optional<double> frame_minutes, double history_hours,
                       py::object profile, std::optional<std::vector<double>> profile_limits_w, int warmup_steps,
                       int measure_steps, bool follower, bool start_after_profiling, bool apply_at_steps,
                       double drift_threshold, std::optional<std::string> save_corrected_profile) {
             TrainingSettings s;
             s.total_steps = total_steps;
             s.policy = std::move(policy);
             if (slowdown_budget && (!std::isfinite(*slowdown_budget) || *slowdown_budget < 0 || *slowdown_budget > 1)) {
               throw InputError(fmt::format("slowdown_budget: {} is not a fraction in [0, 1] (0.025 = +2.5 %)", *slowdown_budget));
             }
             s.job.slowdown_budget = slowdown_budget;
             s.job.forecaster = std::move(forecaster);
             if (frame_minutes) {
               if (!std::isfinite(*frame_minutes) || *frame_minutes <= 0 || *frame_minutes > 24 * 60) {
                 throw InputError(fmt::format("frame_minutes: {} is not in (0, 1440] minutes", *frame_minutes));
               }
               s.job.frame_length = Duration::minutes(*frame_minutes);
             }
             if (!std::isfinite(history_hours) || history_hours < 0 || history_hours > 24 * 31) {
               throw InputError(fmt::format("history_hours: {} is not in [0, 744] h", history_hours));
             }
             s.job.history = Duration::hours(history_hours);
             if (py::isinstance<py::str>(profile)) {
               s.profile = PowerProfile::load(profile.cast<std::string>());
             } else if (!profile.is_none()) {
               ProfileRows rows;
               try {
                 rows = profile.cast<ProfileRows>();
               } catch (const py::cast_error&) {
                 throw InputError(fmt::format("profile: {} is not a CSV path, a bundled name or rows of "
                                              "(limit_w, time_s, energy_j)", std::string(py::repr(profile))));
               }
               s.profile = profile_of(rows, "given");
             }
             if (profile_limits_w) {
               if (profile_limits_w->empty()) throw InputError("profile_limits_w: no limits (None: the GPU's range)");
               for (double w : *profile_limits_w) {
                 if (!std::isfinite(w) || w <= 0) throw InputError(fmt::format("profile_limits_w: {} is not a power limit in W", w));
                 if (std::count(profile_limits_w->begin(), profile_limits_w->end(), w) > 1) {
                   throw InputError(fmt::format("profile_limits_w: {:g} W is given twice", w));
                 }
                 s.profiler.limits.push_back(Power::watts(w));
               }
             }
             if (warmup_steps < 0) throw InputError(fmt::format("warmup_steps: {} is negative", warmup_steps));
             if (measure_steps < 1) throw InputError(fmt::format("measure_steps: {} is not at least 1", measure_steps));
             s.profiler.warmup_iterations = warmup_steps;
             s.profiler.measure_iterations = measure_steps;
             s.role = follower ? TrainingRole::kFollower : TrainingRole::kLeader;
             s.start_after_profiling = start_after_profiling;
             s.apply_at_steps = apply_at_steps;
             if (!std::isfinite(drift_threshold) || drift_threshold <= 0 || drift_threshold > 10) {
               throw InputError(fmt::format("drift_threshold: {} is not a fraction in (0, 10] (0.10 = 10 %)", drift_threshold));
             }
             s.drift.threshold = drift_threshold;
             if (save_corrected_profile) {
               if (save_corrected_profile->empty()) throw InputError("save_corrected_profile: an empty path");
               s.save_corrected_to = std::filesystem::path(*save_corrected_profile);
             }
             return std::make_unique<PyTrainingController>(std::move(gpus), source, run, std::move(s));
           }),
           py::arg("gpus"), py::arg("source") = py::none(), py::arg("run") = nullptr, py::arg("total_steps"),
           py::arg("policy") = "chase", py::arg("slowdown_budget") = py::none(), py::arg("forecaster") = "persistence",
           py::arg("frame_minutes") = py::none(), py::arg("history_hours") = 0.0, py::arg("profile") = py::none(),
           py::arg("profile_limits_w") = py::none(), py::arg("warmup_steps") = 5, py::arg("measure_steps") = 20,
           py::arg("follower") = false, py::arg("start_after_profiling") = true, py::arg("apply_at_steps") = false,
           py::arg("drift_threshold") = 0.10, py::arg("save_corrected_profile") = py::none(),
           py::keep_alive<1, 4>())
      .def("on_step_begin", [](PyTrainingController& c) { c.get().on_step_begin(); })
      .def("on_step_end", [](PyTrainingController& c) {
        py::gil_scoped_release release;
        c.get().on_step_end();
      })
      .def("on_epoch_end", [](PyTrainingController& c) { c.get().on_epoch_end(); })
      .def_property_readonly("phase", [](PyTrainingController& c) { return std::string(to_string(c.get().phase())); },
                             "profiling, profiled, controlling, following or finished")
      .def_property_readonly("steps_done", [](PyTrainingController& c) { return c.get().steps_done(); })
      .def_property_readonly("drift", [](PyTrainingController& c) -> py::object {
        const auto seen = c.get().drift();
        return seen ? py::object(drift_dict(*seen)) : py::object(py::none());
      }, "Where the steps first ran off the profile (a dict, see TrainingResult.drift), as soon as control saw it; None before")
      .def_property_readonly("profile_limits_w", [](PyTrainingController& c) {
        std::vector<double> out;
        for (Power p : c.get().profile_limits()) out.push_back(p.watts());
        return out;
      })
      .def("measured_profile", [](PyTrainingController& c) -> std::optional<ProfileRows> {
        const auto p = c.get().measured_profile();
        return p ? std::optional<ProfileRows>(rows_of(*p)) : std::nullopt;
      })
      .def("start_control", [](PyTrainingController& c, const ProfileRows& rows) {
        c.start_control(profile_of(rows, "combined"));
      }, py::arg("profile"))
      .def_property_readonly("current_limit_w", [](PyTrainingController& c) -> std::optional<double> {
        const auto p = c.get().current_limit();
        return p ? std::optional<double>(p->watts()) : std::nullopt;
      })
      .def_property_readonly("decided_limit_w", [](PyTrainingController& c) -> std::optional<double> {
        const auto p = c.get().decided_limit();
        return p ? std::optional<double>(p->watts()) : std::nullopt;
      }, "Leader: the current frame's decision, W (what a data-parallel job broadcasts); None before one")
      .def("apply_limit_w", [](PyTrainingController& c, double watts) {
        if (!std::isfinite(watts)) throw InputError("limit: not a number of watts");
        py::gil_scoped_release release;
        c.get().apply_limit(Power::watts(watts));
      }, py::arg("watts"))
      .def("decisions", [](PyTrainingController& c) {
        py::list out;
        for (const Decision& d : c.log().decisions()) out.append(decision_dict(d));
        return out;
      }, "Every frame's decision so far (read after finish(): the control thread appends to it)")
      .def("finish", &PyTrainingController::finish, "Stops profiling or control and restores every limit (idempotent)");
}

}  // namespace chase::python

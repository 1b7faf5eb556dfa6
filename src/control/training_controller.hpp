#pragma once
// Chase inside a training loop (the Python integration, `chase.torch`): the loop calls
// on_step_begin()/on_step_end()/on_epoch_end() at its boundaries, as it would Zeus's
// GlobalPowerLimitOptimizer. The controller
//   1. profiles the power limits just in time from the steps themselves (Zeus, NSDI '23): the
//      profiler runs in the loop's own thread at each step's end, so every process of a
//      data-parallel job changes its limit at the same step (or it starts from a saved profile);
//   2. then runs the Chase controller (control/control_session.hpp) in a thread of its own, with
//      the loop's counted steps as the work meter: the remaining steps at the profile's time per
//      step at the maximum limit are the job's work;
//   3. restores every limit it changed at finish(), in its destructor, and when an error ends
//      control early (the loop runs on at the restored limits).
//
// Data-parallel jobs (torch.distributed): one leader (rank 0) decides each frame's limit; the
// other ranks are followers that profile their own GPUs at the same steps, hand their
// measurements to the caller to combine (energy summed, time the slowest rank's), and then set
// whatever limit the leader broadcasts (apply_limit). With apply_at_steps the leader's control
// thread only decides, and the leader sets its own GPUs with apply_limit too, at the same step as
// every follower: all GPUs of the job change limit together, and a decision made after the last
// step reaches none of them. The collectives are the caller's (the job's own process group); this
// class does no communication.
//
// Thread-safe where it must be: the loop's thread calls the step methods, the control thread sets
// limits, and any thread may read current_limit() or call finish().

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "carbon/forecast/forecaster.hpp"
#include "control/control_session.hpp"
#include "control/decision_log.hpp"
#include "control/drift_watch.hpp"
#include "control/limit_guard.hpp"
#include "control/pacer.hpp"
#include "control/policy.hpp"
#include "control/profiler.hpp"
#include "control/step_counter.hpp"
#include "core/clock.hpp"
#include "core/intensity_feed.hpp"
#include "energy/power_device.hpp"
#include "energy/power_profile.hpp"

namespace chase {

enum class TrainingRole { kLeader, kFollower };

struct TrainingSettings {
  // The job's steps in all (epochs x steps per epoch); must be positive.
  std::int64_t total_steps = 0;
  // A saved profile (its unit must be one step); none: profile just in time.
  std::optional<PowerProfile> profile;
  ProfilerOptions profiler;
  // Policy ("chase", "zeus", "max": the live policies of control/policy_registry) and its job:
  // frames (none: the feed's own steps), slowdown budget, history, forecaster. work_at_max is
  // computed from the steps and the profile.
  std::string policy = "chase";
  JobSpec job;
  TrainingRole role = TrainingRole::kLeader;
  // Start control as soon as profiling ends (one process). False: the caller combines the ranks'
  // profiles first and calls start_control() (data-parallel jobs).
  bool start_after_profiling = true;
  // Leader: the control thread decides but sets no limit; apply_limit() sets the decisions (taken
  // from decided_limit()) at the loop's steps, as the followers do. Followers always do.
  bool apply_at_steps = false;
  // Told every decision (in the control thread), after the controller notes its limit: the
  // controller owns the decision log's listener, so a recorder hooks in here.
  DecisionLog::Listener on_decision;
  // When the steps run off the profile (control/drift_watch.hpp: a limit's measured time per step
  // departs from its row by more than the threshold over several frames); drift() says so as
  // soon as it is seen, and the corrected profile (per step) is in the result and, when given,
  // written here (CSV) at finish().
  DriftSettings drift{};
  std::optional<std::filesystem::path> save_corrected_to = std::nullopt;
};

enum class TrainingPhase {
  kProfiling,  // stepping through the limits
  kProfiled,   // this process's profile is measured; waiting for start_control()
  kControlling,  // leader: the controller thread sets the limits
  kFollowing,  // follower: the leader's limits are applied with apply_limit()
  kFinished,   // limits restored
};
const char* to_string(TrainingPhase phase);

struct TrainingResult {
  std::int64_t steps = 0;
  std::int64_t epochs = 0;
  std::int64_t profiling_steps = 0;          // steps run while profiling
  std::optional<PowerProfile> profile;       // the profile control ran with (measured or saved)
  std::optional<ControlSessionResult> control;  // the leader's session, once it ran
  std::vector<std::string> restore_errors;   // limits that could not be put back, one line each
  std::string error;                         // what ended control early, if anything
};

class TrainingController {
 public:
  // One controller per GPU in a process: a second one would take the first's limits for the
  // originals and restore those (Error naming the GPU). `gpus` must each have a settable limit
  // (control/control_session.hpp: controllable_devices);
  // `feed`, `clock` and `log` are borrowed and must outlive the controller; the clock must be the
  // wall clock for the control thread's waits (WakeablePacer). Throws InputError for settings
  // that cannot work (no steps, an unknown policy or forecaster, a saved profile's limit outside a
  // GPU's range) and HardwareError when a GPU's limit cannot be read (nothing could be restored).
  TrainingController(std::vector<std::shared_ptr<PowerDevice>> gpus, IntensityFeed& feed, Clock& clock,
                     DecisionLog& log, TrainingSettings settings);
  ~TrainingController();
  TrainingController(const TrainingController&) = delete;
  TrainingController& operator=(const TrainingController&) = delete;

  // The loop's boundaries. on_step_end counts a step and, while profiling, steps the profiler
  // (which may set the next limit: a device call, in the loop's thread).
  void on_step_begin();
  void on_step_end();
  void on_epoch_end();

  TrainingPhase phase() const;
  std::int64_t steps_done() const { return counter_.done(); }
  std::int64_t epochs_done() const;
  // The limits the profiler steps through (the same on every rank for the same GPU model).
  std::vector<Power> profile_limits() const;
  // This process's measured profile, once profiling is over (kProfiled and after).
  std::optional<PowerProfile> measured_profile() const;
  // Leader: starts the control thread with `profile` (a combined one, or this process's);
  // follower: starts following. Only in kProfiled (or kProfiling abandoned: see finish()).
  // Throws Error in another phase.
  void start_control(const PowerProfile& profile);
  // The limit this process's GPUs run at under control: the leader's last decision when its
  // control thread sets the limits, else the one last applied; nullopt before either.
  std::optional<Power> current_limit() const;
  // Leader: the first departure of the steps from the profile, once control has seen one
  // (any thread); nullopt before, and on followers (the leader's model is the job's).
  std::optional<ProfileDrift> drift() const;
  // Leader: the decision of the current frame (what a data-parallel job broadcasts); nullopt
  // before the first decision.
  std::optional<Power> decided_limit() const;
  // Follower, or a leader with apply_at_steps: set `limit` on this process's GPUs (the leader's
  // decision); a GPU already at it is not set again. Throws Error in another role or phase,
  // InputError for a limit outside a GPU's range, PermissionError without the privilege.
  void apply_limit(Power limit);

  // Stops profiling or control, joins the control thread and restores every limit. Idempotent;
  // the second call returns the first's result.
  TrainingResult finish();

 private:
  void start_leader_locked(const PowerProfile& profile);
  void release_gpus();

  std::vector<std::shared_ptr<PowerDevice>> gpus_;
  IntensityFeed* feed_;
  Clock* clock_;
  DecisionLog* log_;
  TrainingSettings settings_;
  std::unique_ptr<Forecaster> forecaster_;
  std::unique_ptr<Policy> policy_;
  std::vector<std::string> claimed_;   // the GPUs this controller holds (released in the destructor)
  std::unique_ptr<LimitGuard> guard_;  // what every GPU's limit was before anything changed

  StepCounter counter_;
  mutable std::mutex mutex_;
  TrainingPhase phase_ = TrainingPhase::kProfiling;
  std::int64_t epochs_ = 0;
  std::int64_t profiling_steps_ = 0;
  std::unique_ptr<Profiler> profiler_;
  std::optional<PowerProfile> measured_;
  std::optional<PowerProfile> running_profile_;
  std::optional<Power> decided_;
  std::optional<ProfileDrift> drift_;
  std::optional<Power> applied_;
  ControlSessionSetup setup_;
  std::unique_ptr<ControlSession> session_;
  std::unique_ptr<WakeablePacer> pacer_;
  std::optional<ControlSessionResult> control_result_;
  std::thread thread_;
  std::optional<TrainingResult> result_;
};

}  // namespace chase

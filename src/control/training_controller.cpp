#include "control/training_controller.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "energy/device_selection.hpp"

namespace chase {

const char* to_string(TrainingPhase phase) {
  switch (phase) {
    case TrainingPhase::kProfiling: return "profiling";
    case TrainingPhase::kProfiled: return "profiled";
    case TrainingPhase::kControlling: return "controlling";
    case TrainingPhase::kFollowing: return "following";
    case TrainingPhase::kFinished: return "finished";
  }
  return "unknown";
}

namespace {

// The GPUs under a TrainingController in this process, by UUID (else id).
std::mutex controlled_mutex;
std::set<std::string> controlled;

std::string gpu_key(const PowerDevice& gpu) {
  const std::string detail = gpu.detail();
  return detail.empty() ? gpu.id() : detail;
}

}  // namespace

TrainingController::TrainingController(std::vector<std::shared_ptr<PowerDevice>> gpus, IntensityFeed& feed,
                                       Clock& clock, DecisionLog& log, TrainingSettings settings)
    : gpus_(std::move(gpus)), feed_(&feed), clock_(&clock), log_(&log), settings_(std::move(settings)) {
  if (settings_.total_steps <= 0) {
    throw InputError(fmt::format("total_steps: {} is not a positive number of steps", settings_.total_steps));
  }
  if (gpus_.empty()) throw HardwareError("no GPU with a settable power limit to control");
  for (const auto& gpu : gpus_) {
    if (!gpu->supports_power_limit()) throw HardwareError(fmt::format("{} has no settable power limit", gpu->id()));
  }
  if (settings_.role == TrainingRole::kLeader) {
    check_live_policy(settings_.policy);
    policy_ = make_policy(settings_.policy, settings_.job.policy_options());
    const IntensityStep now = feed_->step_at(clock_->now());
    const Duration frame = settings_.job.frame_length.value_or(now.until - now.from);
    forecaster_ = make_forecaster(settings_.job.forecaster, frame, 1);
  }
  if (settings_.profile) {
    require_limits_in_range(gpus_, settings_.profile->limits(), fmt::format("profile {}: ", settings_.profile->source()));
  }
  {
    std::lock_guard lock(controlled_mutex);
    for (const auto& gpu : gpus_) {
      if (controlled.count(gpu_key(*gpu)) != 0) {
        throw Error(fmt::format("{} ({}) is already under another training controller in this process; one controller "
                                "per GPU (finish the other first)",
                                gpu->id(), gpu->name()));
      }
    }
    for (const auto& gpu : gpus_) claimed_.push_back(gpu_key(*gpu));
    controlled.insert(claimed_.begin(), claimed_.end());
  }
  // From here a failure must give back what was taken: the GPUs' claim, the listener, the limits.
  try {
    guard_ = std::make_unique<LimitGuard>(borrowed(gpus_));
    log_->set_listener([this, forward = settings_.on_decision](const Decision& d, std::size_t frame) {
      {
        std::lock_guard lock(mutex_);
        decided_ = d.limit;
      }
      if (forward) forward(d, frame);
    });
    if (settings_.profile) {
      phase_ = TrainingPhase::kProfiled;
      if (settings_.start_after_profiling) start_control(*settings_.profile);
    } else {
      profiler_ = std::make_unique<Profiler>(borrowed(gpus_), *clock_, settings_.profiler);
    }
  } catch (...) {
    log_->set_listener({});
    if (guard_) guard_->restore();
    release_gpus();
    throw;
  }
}

TrainingController::~TrainingController() {
  try {
    finish();
  } catch (...) {
    // finish() reports through its result; a destructor has no one to tell.
  }
  release_gpus();
}

void TrainingController::release_gpus() {
  std::lock_guard lock(controlled_mutex);
  for (const std::string& key : claimed_) controlled.erase(key);
  claimed_.clear();
}

void TrainingController::on_step_begin() {}

void TrainingController::on_step_end() {
  counter_.advance();
  std::lock_guard lock(mutex_);
  if (phase_ != TrainingPhase::kProfiling || !profiler_) return;
  ++profiling_steps_;
  profiler_->on_iteration();
  if (!profiler_->done()) return;
  measured_ = profiler_->profile();
  profiler_.reset();  // its limits are restored: back at the maximum until control starts
  phase_ = TrainingPhase::kProfiled;
  if (settings_.start_after_profiling) {
    if (settings_.role == TrainingRole::kLeader) {
      start_leader_locked(*measured_);
    } else {
      running_profile_ = measured_;
      phase_ = TrainingPhase::kFollowing;
    }
  }
}

void TrainingController::on_epoch_end() {
  std::lock_guard lock(mutex_);
  ++epochs_;
}

TrainingPhase TrainingController::phase() const {
  std::lock_guard lock(mutex_);
  return phase_;
}

std::int64_t TrainingController::epochs_done() const {
  std::lock_guard lock(mutex_);
  return epochs_;
}

std::vector<Power> TrainingController::profile_limits() const {
  std::lock_guard lock(mutex_);
  if (profiler_) return profiler_->limits();
  const auto& profile = running_profile_ ? running_profile_ : (measured_ ? measured_ : settings_.profile);
  return profile ? profile->limits() : std::vector<Power>{};
}

std::optional<PowerProfile> TrainingController::measured_profile() const {
  std::lock_guard lock(mutex_);
  return measured_;
}

void TrainingController::start_control(const PowerProfile& profile) {
  std::lock_guard lock(mutex_);
  if (phase_ != TrainingPhase::kProfiled) {
    throw Error(fmt::format("start_control: the controller is {}, not profiled", to_string(phase_)));
  }
  require_limits_in_range(gpus_, profile.limits(), fmt::format("profile {}: ", profile.source()));
  if (settings_.role == TrainingRole::kLeader) {
    start_leader_locked(profile);
  } else {
    running_profile_ = profile;
    phase_ = TrainingPhase::kFollowing;
  }
}

void TrainingController::start_leader_locked(const PowerProfile& profile) {
  running_profile_ = profile;
  setup_ = ControlSessionSetup{};
  setup_.profile = &*running_profile_;
  setup_.control.job = settings_.job;
  setup_.measured = MeasuredSteps{&counter_, settings_.total_steps - counter_.done()};
  setup_.drift = settings_.drift;
  setup_.save_corrected_to = settings_.save_corrected_to;
  setup_.on_drift = [this](const ProfileDrift& seen) {
    std::lock_guard lock(mutex_);
    drift_ = seen;
  };
  // Applied at steps: the control thread decides for GPUs it does not touch.
  const std::vector<PowerDevice*> set_by_thread =
      settings_.apply_at_steps ? std::vector<PowerDevice*>{} : borrowed(gpus_);
  session_ = std::make_unique<ControlSession>(set_by_thread, *feed_, *forecaster_, *policy_, *clock_, *log_);
  pacer_ = std::make_unique<WakeablePacer>(*clock_);
  phase_ = TrainingPhase::kControlling;
  thread_ = std::thread([this] {
    ControlSessionResult r = session_->run(setup_, *pacer_);
    std::lock_guard lock(mutex_);
    control_result_ = std::move(r);
  });
}

std::optional<Power> TrainingController::current_limit() const {
  std::lock_guard lock(mutex_);
  const bool thread_sets = settings_.role == TrainingRole::kLeader && !settings_.apply_at_steps;
  return thread_sets ? decided_ : applied_;
}

std::optional<ProfileDrift> TrainingController::drift() const {
  std::lock_guard lock(mutex_);
  return drift_;
}

std::optional<Power> TrainingController::decided_limit() const {
  std::lock_guard lock(mutex_);
  return decided_;
}

void TrainingController::apply_limit(Power limit) {
  std::lock_guard lock(mutex_);
  const bool follower = settings_.role == TrainingRole::kFollower;
  if (!follower && !settings_.apply_at_steps) {
    throw Error("apply_limit: a leader whose control thread sets the limits applies none");
  }
  const TrainingPhase applying = follower ? TrainingPhase::kFollowing : TrainingPhase::kControlling;
  if (phase_ != applying) {
    throw Error(fmt::format("apply_limit: the controller is {}, not {}", to_string(phase_), to_string(applying)));
  }
  // Called at every step with the same limit for frames on end: no device call then.
  if (applied_ && *applied_ == limit) return;
  require_limits_in_range(gpus_, {limit}, "");
  for (const auto& gpu : gpus_) {
    if (gpu->power_limit() != limit) gpu->set_power_limit(limit);
  }
  applied_ = limit;
}

TrainingResult TrainingController::finish() {
  {
    std::lock_guard lock(mutex_);
    if (result_) return *result_;
    if (pacer_) pacer_->request_stop();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  TrainingResult r;
  if (profiler_) {
    profiler_->abandon();
    profiler_.reset();
  }
  r.restore_errors = guard_ ? guard_->restore() : std::vector<std::string>{};
  r.steps = counter_.done();
  r.epochs = epochs_;
  r.profiling_steps = profiling_steps_;
  r.profile = running_profile_;
  r.control = control_result_;
  if (control_result_ && control_result_->error) r.error = control_result_->error_message();
  log_->set_listener({});
  release_gpus();  // restored: another controller may take them now
  phase_ = TrainingPhase::kFinished;
  result_ = r;
  return r;
}

}  // namespace chase

#include "energy/estimated_cpu_device.hpp"

#include <fmt/format.h>

#include "core/data_file.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

CpuTimes read_times(const std::filesystem::path& path) {
  LoadedText text = [&] {
    try {
      return read_text_file(path);
    } catch (const InputError& e) {
      // A missing /proc is the host's problem, not the user's input.
      throw HardwareError(e.what());
    }
  }();
  return parse_proc_stat(text.content, text.source);
}

}  // namespace

EstimatedCpuDevice::EstimatedCpuDevice(Power tdp, std::string tdp_source, std::filesystem::path proc_root,
                                       Clock& clock, double idle_share)
    : tdp_(tdp), tdp_source_(std::move(tdp_source)), idle_share_(idle_share),
      stat_path_(std::move(proc_root) / "stat"), clock_(clock) {
  if (!(tdp_.watts() > 0)) throw InputError(fmt::format("CPU TDP must be positive, got {} W", tdp_.watts()));
  if (!(idle_share_ >= 0 && idle_share_ < 1)) {
    throw InputError(fmt::format("CPU idle share must be within [0, 1), got {}", idle_share_));
  }
  last_times_ = read_times(stat_path_);
  accounted_until_ = clock_.now();
}

std::string EstimatedCpuDevice::detail() const {
  return fmt::format("{} W TDP x ({:.1f} % idle + utilisation x the rest) ({})", tdp_.watts(), idle_share_ * 100,
                     tdp_source_);
}

Power EstimatedCpuDevice::power_at(double utilisation) const {
  return tdp_ * (idle_share_ + (1.0 - idle_share_) * utilisation);
}

void EstimatedCpuDevice::update() {
  const CpuTimes now_times = read_times(stat_path_);
  const UtcTime now = clock_.now();
  if (now <= accounted_until_) return;
  if (now_times.total_jiffies > last_times_.total_jiffies) {
    // The busy share since the previous jiffy reading prices the time not yet accounted for.
    last_power_ = power_at(utilisation_between(last_times_, now_times));
    last_times_ = now_times;
  }
  // Jiffies tick at 100 Hz, so a read 1 ms after the previous one sees none move: the latest
  // utilisation carries on meanwhile, which keeps every window's power within the TDP.
  energy_ += last_power_.value_or(power_at(0)) * (now - accounted_until_);
  accounted_until_ = now;
}

Energy EstimatedCpuDevice::energy() {
  std::lock_guard lock(mutex_);
  update();
  return energy_;
}

std::optional<Power> EstimatedCpuDevice::power() {
  std::lock_guard lock(mutex_);
  update();
  return last_power_;
}

}  // namespace chase

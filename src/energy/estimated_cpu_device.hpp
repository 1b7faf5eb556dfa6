#pragma once
// The fallback when a host has no CPU energy counter (VMs, containers, this build machine):
// power = machine-wide CPU utilisation (/proc/stat) x TDP. A model, not a measurement, so
// estimated() is true and every output says so.

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "energy/power_device.hpp"
#include "energy/proc_stat.hpp"

namespace chase {

class EstimatedCpuDevice final : public PowerDevice {
 public:
  // `tdp_source` says where the TDP came from ("xeon-gold-6248 preset", "--cpu-tdp-w");
  // `proc_root` is normally /proc. Reads /proc/stat once, so a missing file fails here.
  EstimatedCpuDevice(Power tdp, std::string tdp_source, std::filesystem::path proc_root, Clock& clock);

  std::string id() const override { return "estimated:cpu"; }
  std::string name() const override { return "CPU"; }
  std::string backend() const override { return "estimated"; }
  bool estimated() const override { return true; }
  std::string detail() const override;

  Power tdp() const { return tdp_; }

  // Each read adds TDP x utilisation over the time since the previous read, the utilisation
  // being the busy share of the jiffies since they last moved (or the latest share while
  // they have not: they tick at 100 Hz).
  Energy energy() override;
  // The estimate over the latest interval; nullopt before one has passed.
  std::optional<Power> power() override;

 private:
  void update();

  Power tdp_;
  std::string tdp_source_;
  std::filesystem::path stat_path_;
  Clock& clock_;
  std::mutex mutex_;
  CpuTimes last_times_;
  UtcTime accounted_until_;  // energy_ covers the time up to here
  Energy energy_;
  std::optional<Power> last_power_;
};

}  // namespace chase

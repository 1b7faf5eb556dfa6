#pragma once
// The fallback when a host has no CPU energy counter (VMs, containers, this build machine):
// power = TDP x (idle share + (1 - idle share) x machine-wide CPU utilisation from /proc/stat).
// A model, not a measurement, so estimated() is true and every output says so.
//
// An idle server CPU is far from 0 W. The idle share is the ratio of idle to full-load power
// that SPECpower_ssj2008 results give for server CPUs, as Cloud Carbon Footprint's coefficients
// (ccf-coefficients, min and max watts per vCPU by microarchitecture) state them: Cascade Lake
// 0.64 W / 3.80 W = 16.8 % (Skylake 0.64 / 4.05, Broadwell 0.71 / 3.54, AMD EPYC 2nd gen
// 0.47 / 1.64, 3rd gen 0.45 / 1.87). The default CPU preset, xeon-gold-6248, is a Cascade Lake
// part, so its share is the default.

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "energy/power_device.hpp"
#include "energy/proc_stat.hpp"

namespace chase {

// Cascade Lake's idle ÷ full-load power per vCPU from SPECpower_ssj2008 (CCF coefficients).
inline constexpr double kCpuIdleShareOfTdp = 0.64 / 3.80;

class EstimatedCpuDevice final : public PowerDevice {
 public:
  // `tdp_source` says where the TDP came from ("xeon-gold-6248 preset", "--cpu-tdp-w");
  // `proc_root` is normally /proc; `idle_share` in [0, 1). Reads /proc/stat once, so a missing
  // file fails here.
  EstimatedCpuDevice(Power tdp, std::string tdp_source, std::filesystem::path proc_root, Clock& clock,
                     double idle_share = kCpuIdleShareOfTdp);

  std::string id() const override { return "estimated:cpu"; }
  std::string name() const override { return "CPU"; }
  std::string backend() const override { return "estimated"; }
  bool estimated() const override { return true; }
  std::string detail() const override;

  Power tdp() const { return tdp_; }

  // Each read adds the modelled power over the time since the previous read, the utilisation
  // being the busy share of the jiffies since they last moved (or the latest share while
  // they have not: they tick at 100 Hz; before they first move, the CPU counts as idle).
  Energy energy() override;
  // The estimate over the latest interval; nullopt before one has passed.
  // The power at a utilisation in [0, 1].
  Power power_at(double utilisation) const;
  std::optional<Power> power() override;

 private:
  void update();

  Power tdp_;
  std::string tdp_source_;
  double idle_share_;
  std::filesystem::path stat_path_;
  Clock& clock_;
  std::mutex mutex_;
  CpuTimes last_times_;
  UtcTime accounted_until_;  // energy_ covers the time up to here
  Energy energy_;
  std::optional<Power> last_power_;
};

}  // namespace chase

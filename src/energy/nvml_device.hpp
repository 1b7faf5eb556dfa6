#pragma once
// An NVIDIA GPU through NVML. Energy from the total-energy counter (mJ, Volta and newer); where
// the driver answers NVML_ERROR_NOT_SUPPORTED, from integrating power polls instead. Power
// limits: constraints, current, default, set (root only).
//
// Readings that cannot be physically right are dropped and counted (implausible_readings(); the
// rule is energy/energy_counter.hpp's): the counter is 64-bit and never wraps, so a decrease is
// a restart (the driver was reloaded) or a misread, and an increase must fit under the GPU's
// power ceiling; a power poll above the ceiling is not integrated.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "energy/energy_counter.hpp"
#include "energy/nvml_library.hpp"
#include "energy/power_device.hpp"
#include "energy/power_integrator.hpp"

namespace chase {

class NvmlDevice final : public PowerDevice {
 public:
  // The power ceiling is kLimitMargin times the GPU's maximum power limit (its power limit
  // constraints): the board enforces its limit over tens of milliseconds, so an average over a
  // read interval stays near it. Where the GPU has no limit constraints, kDefaultCeiling:
  // twice the 1,000 W TDP of the largest NVIDIA GPU shipping (HGX B200 datasheet).
  static constexpr double kLimitMargin = 2.0;
  static constexpr Power kDefaultCeiling = Power::watts(2000);

  // GPU `index` in NVML's order (PCI bus order, as nvidia-smi shows). The clock times the
  // power polls of a GPU without an energy counter.
  NvmlDevice(std::shared_ptr<const NvmlLibrary> library, unsigned index, Clock& clock);

  std::string id() const override;
  std::string name() const override { return name_; }
  std::string backend() const override { return "nvml"; }
  bool estimated() const override { return false; }
  bool has_energy_counter() const override { return has_energy_counter_; }
  std::string detail() const override;
  std::string hardware_id() const override { return uuid_; }

  unsigned index() const { return index_; }
  const std::string& uuid() const { return uuid_; }

  Energy energy() override;
  // The power drawn now; nullopt when the poll cannot be right (above the ceiling).
  std::optional<Power> power() override;
  ImplausibleReadings implausible_readings() const override;
  const PowerCeiling& power_ceiling() const { return plausibility_.ceiling(); }

  bool supports_power_limit() const override { return supports_power_limit_; }
  PowerLimitRange power_limit_range() override;
  Power power_limit() override;
  Power default_power_limit() override;
  // Throws InputError outside power_limit_range(), PermissionError without root.
  void set_power_limit(Power limit) override;

 private:
  const std::string& context() const { return context_; }
  Power read_power();
  void require_power_limit() const;

  std::shared_ptr<const NvmlLibrary> library_;
  unsigned index_;
  Clock& clock_;
  nvml::Device handle_ = nullptr;
  std::string name_;
  std::string uuid_;
  std::string context_;  // "nvml:0 (NVIDIA A40)" for error messages, made once (reads are hot)
  bool has_energy_counter_ = true;
  std::string no_counter_reason_;  // why there is none, when there is none
  bool supports_power_limit_ = true;
  PowerLimitRange range_{};
  PowerPlausibility plausibility_{PowerCeiling{}};
  // Reads of the counter and of the polls it integrates happen under this lock, so that they
  // reach the counter in the order they were taken (out of order they would look like a restart).
  mutable std::mutex reading_mutex_;
  std::optional<EnergyCounter> counter_;       // with an energy counter
  std::optional<PowerIntegrator> integrator_;  // without one
};

}  // namespace chase

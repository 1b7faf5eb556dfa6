#include "energy/nvml_device.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace chase {

NvmlDevice::NvmlDevice(std::shared_ptr<const NvmlLibrary> library, unsigned index, Clock& clock)
    : library_(std::move(library)), index_(index), clock_(clock) {
  const auto& api = library_->api();
  handle_ = library_->device_handle(index_);
  const std::string gpu = fmt::format("GPU {}", index_);
  char name[nvml::kDeviceNameBufferSize] = {};
  library_->check(api.device_get_name(handle_, name, sizeof name), nvml::kDeviceGetNameSymbol, gpu);
  name_ = name;
  char uuid[nvml::kDeviceUuidBufferSize] = {};
  library_->check(api.device_get_uuid(handle_, uuid, sizeof uuid), nvml::kDeviceGetUuidSymbol, gpu);
  uuid_ = uuid;
  context_ = fmt::format("{} ({})", id(), name_);

  // Probe once which way energy and limits work on this GPU; any other failure is real.
  unsigned long long energy_mj = 0;
  if (api.device_get_total_energy_consumption == nullptr) {
    has_energy_counter_ = false;
    no_counter_reason_ = fmt::format("the NVML library has no {}", nvml::kDeviceGetTotalEnergyConsumptionSymbol);
  } else if (const nvml::Return energy_rc = api.device_get_total_energy_consumption(handle_, &energy_mj);
             energy_rc == nvml::kErrorNotSupported) {
    has_energy_counter_ = false;
    no_counter_reason_ = "not supported by this GPU";
  } else {
    library_->check(energy_rc, nvml::kDeviceGetTotalEnergyConsumptionSymbol, context());
  }
  unsigned min_mw = 0, max_mw = 0;
  const nvml::Return range_rc = api.device_get_power_management_limit_constraints(handle_, &min_mw, &max_mw);
  if (range_rc == nvml::kErrorNotSupported) {
    supports_power_limit_ = false;
  } else {
    library_->check(range_rc, nvml::kDeviceGetPowerManagementLimitConstraintsSymbol, context());
    range_ = {Power::milliwatts(min_mw), Power::milliwatts(max_mw)};
  }
  if (supports_power_limit_) {
    plausibility_ = PowerPlausibility({range_.max * kLimitMargin,
                                       fmt::format("{:g} x the GPU's maximum power limit of {:g} W", kLimitMargin,
                                                   range_.max.watts())});
  } else {
    plausibility_ = PowerPlausibility({kDefaultCeiling, "chase's NVML ceiling: the GPU has no power limit constraints"});
  }
  if (has_energy_counter_) {
    counter_.emplace(EnergyCounterSpec{nvml::kDeviceGetTotalEnergyConsumptionSymbol, Energy::millijoules(1), std::nullopt,
                                       plausibility_.ceiling()});
    counter_->read(clock_.now(), energy_mj);
  } else {
    integrator_.emplace(nvml::kDeviceGetPowerUsageSymbol, plausibility_.ceiling());
    integrator_->add(clock_.now(), read_power());
  }
}

std::string NvmlDevice::id() const { return fmt::format("nvml:{}", index_); }

std::string NvmlDevice::detail() const {
  return has_energy_counter_ ? uuid_
                             : fmt::format("{}, no energy counter ({}): power polls integrated", uuid_, no_counter_reason_);
}

Power NvmlDevice::read_power() {
  unsigned mw = 0;
  library_->check(library_->api().device_get_power_usage(handle_, &mw), nvml::kDeviceGetPowerUsageSymbol, context());
  return Power::milliwatts(mw);
}

Energy NvmlDevice::energy() {
  std::lock_guard lock(reading_mutex_);
  if (integrator_) return integrator_->add(clock_.now(), read_power());
  unsigned long long mj = 0;
  library_->check(library_->api().device_get_total_energy_consumption(handle_, &mj),
                  nvml::kDeviceGetTotalEnergyConsumptionSymbol, context());
  return counter_->read(clock_.now(), mj);
}

std::optional<Power> NvmlDevice::power() {
  std::lock_guard lock(reading_mutex_);
  const Power p = read_power();
  if (integrator_) integrator_->add(clock_.now(), p);
  if (!plausibility_.power_fits(p)) return std::nullopt;
  return p;
}

ImplausibleReadings NvmlDevice::implausible_readings() const {
  std::lock_guard lock(reading_mutex_);
  return integrator_ ? integrator_->implausible() : counter_->implausible();
}

void NvmlDevice::require_power_limit() const {
  if (!supports_power_limit_) {
    throw HardwareError(fmt::format("{}: this GPU has no settable power limit ({} answered NVML_ERROR_NOT_SUPPORTED)",
                                    context(), nvml::kDeviceGetPowerManagementLimitConstraintsSymbol));
  }
}

PowerLimitRange NvmlDevice::power_limit_range() {
  require_power_limit();
  return range_;
}

Power NvmlDevice::power_limit() {
  require_power_limit();
  unsigned mw = 0;
  library_->check(library_->api().device_get_power_management_limit(handle_, &mw),
                  nvml::kDeviceGetPowerManagementLimitSymbol, context());
  return Power::milliwatts(mw);
}

Power NvmlDevice::default_power_limit() {
  require_power_limit();
  unsigned mw = 0;
  library_->check(library_->api().device_get_power_management_default_limit(handle_, &mw),
                  nvml::kDeviceGetPowerManagementDefaultLimitSymbol, context());
  return Power::milliwatts(mw);
}

void NvmlDevice::set_power_limit(Power limit) {
  require_power_limit();
  if (!(limit >= range_.min && limit <= range_.max)) {
    throw InputError(fmt::format("{}: power limit {} W is outside the supported range {} to {} W", context(),
                                 limit.watts(), range_.min.watts(), range_.max.watts()));
  }
  const auto mw = static_cast<unsigned>(std::lround(limit.watts() * 1000.0));
  const nvml::Return rc = library_->api().device_set_power_management_limit(handle_, mw);
  if (rc == nvml::kErrorNoPermission) {
    throw PermissionError(fmt::format(
        "{}: setting the power limit to {} W needs root ({}: {}); run as root, or once as root "
        "`nvidia-smi -i {} -pl {}` (with `nvidia-smi -pm 1` so the driver stays loaded and keeps it)",
        context(), limit.watts(), nvml::kDeviceSetPowerManagementLimitSymbol, library_->error_string(rc), index_,
        limit.watts()));
  }
  library_->check(rc, nvml::kDeviceSetPowerManagementLimitSymbol, fmt::format("{} to {} mW", context(), mw));
}

}  // namespace chase

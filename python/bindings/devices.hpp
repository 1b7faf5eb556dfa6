#pragma once
// The result of discover(), shared with monitor.cpp (a Monitor discovers when given no devices).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "energy/device_discovery.hpp"

namespace chase::python {

struct Devices {
  DiscoveredDevices found;
  std::vector<std::shared_ptr<PowerDevice>> selected;  // what devices= asked for, else all found

  std::vector<DeviceEntry> not_metered() const;
};

// Throws InputError for a bad TDP, an unknown CPU preset or a device name that matches nothing.
Devices discover(const std::optional<std::string>& nvml_library, const std::string& powercap_root,
                 const std::string& proc_root, std::optional<double> cpu_tdp_w,
                 const std::optional<std::string>& cpu_processor, const std::optional<std::vector<std::string>>& wanted);

}  // namespace chase::python

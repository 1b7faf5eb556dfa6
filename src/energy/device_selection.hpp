#pragma once
// Picking the devices to meter by id ("nvml:0") or by whole backend ("rapl").

#include <memory>
#include <string>
#include <vector>

#include "energy/power_device.hpp"

namespace chase {

// Every device when `wanted` is empty; else those matching any of `wanted`, in the order the
// names match, each once. Throws InputError naming a name that matches nothing and the ids here.
std::vector<std::shared_ptr<PowerDevice>> select_devices(const std::vector<std::shared_ptr<PowerDevice>>& all,
                                                         const std::vector<std::string>& wanted);

}  // namespace chase

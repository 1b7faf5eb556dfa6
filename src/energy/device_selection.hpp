#pragma once
// Picking the devices to meter by id ("nvml:0") or by whole backend ("rapl"), and views of a
// list of devices.

#include <memory>
#include <string>
#include <vector>

#include "energy/power_device.hpp"

namespace chase {

// Every device when `wanted` is empty; else those matching any of `wanted`, in the order the
// names match, each once. Throws InputError naming a name that matches nothing and the ids here.
std::vector<std::shared_ptr<PowerDevice>> select_devices(const std::vector<std::shared_ptr<PowerDevice>>& all,
                                                         const std::vector<std::string>& wanted);

// The devices as the pointers the controller and the profiler borrow (`all` keeps them alive).
std::vector<PowerDevice*> borrowed(const std::vector<std::shared_ptr<PowerDevice>>& all);
// Their ids, in order ("nvml:0", ...).
std::vector<std::string> device_ids(const std::vector<std::shared_ptr<PowerDevice>>& all);

}  // namespace chase

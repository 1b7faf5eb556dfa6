#include "limits/daemon_power_device.hpp"

namespace chase {

DaemonPowerDevice::DaemonPowerDevice(std::shared_ptr<PowerDevice> local, std::string gpu,
                                     std::shared_ptr<LimitClient> client)
    : local_(std::move(local)), gpu_(std::move(gpu)), client_(std::move(client)) {}

void DaemonPowerDevice::set_power_limit(Power limit) { client_->set(gpu_, limit); }

std::size_t route_limits_through_daemon(std::vector<std::shared_ptr<PowerDevice>>& devices,
                                        const std::shared_ptr<LimitClient>& client) {
  std::size_t routed = 0;
  for (auto& device : devices) {
    if (device->backend() != "nvml" || !device->supports_power_limit()) continue;
    device = std::make_shared<DaemonPowerDevice>(device, device->hardware_id(), client);
    ++routed;
  }
  return routed;
}

}  // namespace chase

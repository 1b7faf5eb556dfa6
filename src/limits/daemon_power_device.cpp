#include "limits/daemon_power_device.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/utc_time.hpp"
#include "limits/access_policy.hpp"

namespace chase {

DaemonPowerDevice::DaemonPowerDevice(std::shared_ptr<PowerDevice> local, std::string gpu,
                                     std::shared_ptr<LimitClient> client, std::optional<PowerLimitRange> allowed)
    : local_(std::move(local)), gpu_(std::move(gpu)), client_(std::move(client)), allowed_(allowed) {}

std::string DaemonPowerDevice::detail() const {
  const std::string own = local_->detail();
  const std::string through = allowed_ ? fmt::format("limits through chased, {:g}-{:g} W allowed", allowed_->min.watts(),
                                                     allowed_->max.watts())
                                       : std::string("limits through chased");
  return own.empty() ? through : own + "; " + through;
}

void DaemonPowerDevice::set_power_limit(Power limit) { client_->set(gpu_, limit); }

std::size_t route_limits_through_daemon(std::vector<std::shared_ptr<PowerDevice>>& devices,
                                        const std::shared_ptr<LimitClient>& client) {
  std::size_t routed = 0;
  std::vector<GpuLimitInfo> served;
  for (auto& device : devices) {
    if (device->backend() != "nvml" || !device->supports_power_limit()) continue;
    if (routed == 0) served = client->list();
    std::optional<PowerLimitRange> allowed;
    for (const GpuLimitInfo& g : served) {
      if (g.uuid == device->hardware_id()) allowed = g.allowed;
    }
    device = std::make_shared<DaemonPowerDevice>(device, device->hardware_id(), client, allowed);
    ++routed;
  }
  return routed;
}

std::vector<std::string> gpus_held_by_daemon(const std::filesystem::path& socket,
                                             const std::vector<std::shared_ptr<PowerDevice>>& devices) {
  std::vector<std::string> held;
  std::error_code error;
  if (!std::filesystem::exists(socket, error)) return held;
  std::vector<GpuLimitInfo> gpus;
  try {
    gpus = LimitClient(socket).list();
  } catch (const Error&) {
    return held;  // a socket nobody answers on: no chased holds anything
  }
  for (const auto& device : devices) {
    for (const GpuLimitInfo& g : gpus) {
      if (g.uuid != device->hardware_id() || !g.holder) continue;
      held.push_back(fmt::format("{} is held through chased ({}) by pid {} of {} since {}: its limit now is that "
                                 "client's, not the original",
                                 device->id(), socket.string(), g.holder->pid, describe_user(g.holder->uid),
                                 UtcTime::from_epoch_ms(g.holder->since_unix * 1000).iso8601()));
    }
  }
  return held;
}

}  // namespace chase

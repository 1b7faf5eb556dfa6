#pragma once
// A GPU whose power limit is set through chased (limit_client.hpp) while everything else —
// energy, power, the current limit, its range — is read directly, as reading needs no
// privilege. This is how an unprivileged `chase run` controls GPUs: the same controller,
// LimitGuard and signal path, with set_power_limit going to the daemon, which holds the GPU
// for this process and restores it when the connection ends, however chase ends.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "energy/power_device.hpp"
#include "limits/limit_client.hpp"

namespace chase {

class DaemonPowerDevice final : public PowerDevice {
 public:
  // `local` reads the GPU; `gpu` is its key for chased (its UUID); `allowed`: the limits chased
  // lets this process set on it (GpuLimitInfo::allowed), which is the range profiling steps
  // through and a profile's rows are checked against; none: the GPU's own (every set is then
  // refused with chased's reason).
  DaemonPowerDevice(std::shared_ptr<PowerDevice> local, std::string gpu, std::shared_ptr<LimitClient> client,
                    std::optional<PowerLimitRange> allowed = std::nullopt);

  std::string id() const override { return local_->id(); }
  std::string name() const override { return local_->name(); }
  std::string backend() const override { return local_->backend(); }
  bool estimated() const override { return local_->estimated(); }
  Energy energy() override { return local_->energy(); }
  std::optional<Power> power() override { return local_->power(); }
  bool has_energy_counter() const override { return local_->has_energy_counter(); }
  ImplausibleReadings implausible_readings() const override { return local_->implausible_readings(); }
  std::string detail() const override;
  std::string hardware_id() const override { return local_->hardware_id(); }

  bool supports_power_limit() const override { return local_->supports_power_limit(); }
  PowerLimitRange power_limit_range() override { return allowed_ ? *allowed_ : local_->power_limit_range(); }
  Power power_limit() override { return local_->power_limit(); }
  Power default_power_limit() override { return local_->default_power_limit(); }
  // Through chased: PermissionError when it refuses (the access policy, or another client
  // holds the GPU), with its one line.
  void set_power_limit(Power limit) override;

 private:
  std::shared_ptr<PowerDevice> local_;
  std::string gpu_;
  std::shared_ptr<LimitClient> client_;
  std::optional<PowerLimitRange> allowed_;
};

// Replaces every NVML GPU with a settable limit in `devices` by a DaemonPowerDevice over it,
// with the range chased allows this process there (one `list` round trip). Returns how many
// were replaced.
std::size_t route_limits_through_daemon(std::vector<std::shared_ptr<PowerDevice>>& devices,
                                        const std::shared_ptr<LimitClient>& client);

// For a process about to set limits itself (root, no daemon in use) while chased may run: one
// line per GPU of `devices` (by hardware_id) that chased at `socket` holds for a client — its
// limit now is that client's, not the GPU's original, so taking it would restore the wrong
// limit. Empty when nothing listens at `socket` or it holds none of them.
std::vector<std::string> gpus_held_by_daemon(const std::filesystem::path& socket,
                                             const std::vector<std::shared_ptr<PowerDevice>>& devices);

}  // namespace chase

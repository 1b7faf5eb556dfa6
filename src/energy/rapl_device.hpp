#pragma once
// CPU package and DRAM energy from Intel/AMD RAPL through the powercap sysfs tree
// (/sys/class/powercap/intel-rapl:N = package-N, intel-rapl:N:M = its dram/core/uncore
// subzones; AMD Zen exposes packages and cores under the same names). Only package and DRAM
// zones become devices: core/uncore are parts of their package and psys includes the packages,
// so metering them too would count the same joules twice.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "energy/power_device.hpp"

namespace chase {

struct RaplZone {
  std::filesystem::path path;  // the zone directory (holds name, energy_uj, max_energy_range_uj)
  std::string id;              // "rapl:package-0", "rapl:package-0/dram"
  std::string label;           // "package-0", "package-0 dram"
};

struct RaplScan {
  std::vector<RaplZone> zones;
  std::vector<std::string> skipped;  // zones left out and why, e.g. "core (part of package-0)"
};

// Lists the package and DRAM zones under `powercap_root` (default /sys/class/powercap).
// Throws HardwareError when there is no powercap tree or no RAPL zone in it.
RaplScan scan_rapl_zones(const std::filesystem::path& powercap_root);

class RaplDevice final : public PowerDevice {
 public:
  // Reads the zone once, so a missing or unreadable counter fails here: PermissionError
  // "needs read permission on <path> ..." (energy_uj is root-only on patched kernels).
  explicit RaplDevice(RaplZone zone);

  std::string id() const override { return zone_.id; }
  std::string name() const override { return zone_.label; }
  std::string backend() const override { return "rapl"; }
  bool estimated() const override { return false; }
  std::string detail() const override { return zone_.path.string(); }

  // The counter wraps at max_energy_range_uj; each read adds the distance travelled since the
  // previous one, so reads must come at least once per wrap period (minutes at full load).
  Energy energy() override;
  std::optional<Power> power() override { return std::nullopt; }

 private:
  RaplZone zone_;
  std::uint64_t max_range_uj_ = 0;
  std::mutex mutex_;
  std::uint64_t last_raw_uj_ = 0;
  std::uint64_t total_uj_ = 0;
};

}  // namespace chase

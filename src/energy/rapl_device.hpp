#pragma once
// CPU package and DRAM energy from Intel/AMD RAPL through the powercap sysfs tree
// (/sys/class/powercap/intel-rapl:N = package-N, intel-rapl:N:M = its dram/core/uncore
// subzones; AMD Zen exposes packages and cores under the same names). Only package and DRAM
// zones become devices: core/uncore are parts of their package and psys includes the packages,
// so metering them too would count the same joules twice.

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "energy/energy_counter.hpp"
#include "energy/power_device.hpp"

namespace chase {

struct RaplZone {
  std::filesystem::path path;  // the zone directory (holds name, energy_uj, max_energy_range_uj)
  std::string id;              // "rapl:package-0", "rapl:package-0/dram"
  std::string label;           // "package-0", "package-0 dram"
};

// A zone whose `name` file is missing, unreadable or empty: it cannot be told a package from
// psys or core (metering it could count the packages twice), so it is listed as not metered,
// under its directory's name (id "rapl:intel-rapl:0", label "intel-rapl:0"; a subzone
// "rapl:package-0/intel-rapl:0:1"), and the other zones are metered as usual.
struct UnnamedRaplZone {
  RaplZone zone;
  std::string why;  // "its name file cannot be read (cannot read .../name: No such file or directory), so ..."
};

struct RaplScan {
  std::vector<RaplZone> zones;
  std::vector<std::string> skipped;     // zones left out and why, e.g. "core (part of package-0)"
  std::vector<UnnamedRaplZone> unnamed;  // zones without a readable name, not metered
};

// Lists the package and DRAM zones under `powercap_root` (default /sys/class/powercap), and
// those without a readable name. Throws HardwareError when there is no powercap tree or no RAPL
// zone in it at all.
RaplScan scan_rapl_zones(const std::filesystem::path& powercap_root);

class RaplDevice final : public PowerDevice {
 public:
  // The power ceiling of a zone (energy/energy_counter.hpp) is kConstraintMargin times the
  // largest of its constraint_*_max_power_uw (the kernel reports PL1 as the package's TDP and,
  // where known, PL2 and PL4 = 2 x PL2; client parts run at PL2 ~ 2 x TDP for as long as they
  // stay cool, and boards may lift the limits), or kDefaultCeiling where the zone has none.
  static constexpr double kConstraintMargin = 3.0;
  // Twice the highest package TDP shipping: 500 W (AMD EPYC 9965, Intel Xeon 6980P datasheets).
  static constexpr Power kDefaultCeiling = Power::watts(1000);

  // Reads the zone once, so a missing or unreadable counter fails here: PermissionError
  // "needs read permission on <path> ..." (energy_uj is root-only on patched kernels). The
  // clock times the reads, which the plausibility rule needs; it must outlive the device.
  RaplDevice(RaplZone zone, Clock& clock);

  std::string id() const override { return zone_.id; }
  std::string name() const override { return zone_.label; }
  std::string backend() const override { return "rapl"; }
  bool estimated() const override { return false; }
  std::string detail() const override { return zone_.path.string(); }

  // The counter wraps at max_energy_range_uj; each read adds the distance travelled since the
  // previous one, so reads must come at least once per wrap period (minutes at full load). A
  // reading outside [0, max_energy_range_uj], or one that would mean more than the ceiling
  // since the previous read (a reset of the package, a misread), is dropped and counted
  // (implausible_readings()); the rule is EnergyCounter's. Text that is not a number is a
  // HardwareError naming the file.
  Energy energy() override;
  std::optional<Power> power() override { return std::nullopt; }
  ImplausibleReadings implausible_readings() const override;
  const PowerCeiling& power_ceiling() const { return counter_.ceiling(); }

 private:
  RaplZone zone_;
  Clock& clock_;
  mutable std::mutex mutex_;
  EnergyCounter counter_;
};

}  // namespace chase

#pragma once
// One thing that draws power and can be metered: a GPU (NVML), a CPU package or DRAM domain
// (RAPL), an estimate from utilisation, or a simulated GPU. One interface, one file per
// backend; backends reach hardware only through injected seams (library path, sysfs root,
// /proc path, clock). Implementations are safe to call from several threads: the sampler reads
// energy while a controller sets the power limit.

#include <optional>
#include <string>

#include "core/units.hpp"
#include "energy/energy_counter.hpp"

namespace chase {

struct PowerLimitRange {
  Power min;
  Power max;
};

class PowerDevice {
 public:
  virtual ~PowerDevice() = default;

  virtual std::string id() const = 0;       // stable within a run: "nvml:0", "rapl:package-0", "sim:0"
  virtual std::string name() const = 0;     // human name: "NVIDIA A40", "package-0"
  virtual std::string backend() const = 0;  // "nvml", "rapl", "estimated", "simulated"
  // True when energy() is a model (the CPU from TDP and utilisation), not a measurement; shown in every output.
  virtual bool estimated() const = 0;

  // Monotonic energy since an arbitrary origin (wraparound handled, implausible readings dropped).
  virtual Energy energy() = 0;
  // Instantaneous power, where the backend has it.
  virtual std::optional<Power> power() = 0;
  // False when energy() integrates power polls instead of reading a hardware counter: then the
  // result is only as good as the polling, so such a device must be sampled (Sampler).
  virtual bool has_energy_counter() const { return true; }
  // Readings energy() dropped as not physically possible (energy/energy_counter.hpp: a counter
  // reset, a garbage value, a power poll above the device's ceiling), since the device was made.
  // Each is an error sample of whatever measured the device; the first is described.
  virtual ImplausibleReadings implausible_readings() const { return {}; }
  // One line that identifies the device beyond its name (UUID, sysfs zone, TDP of an estimate).
  virtual std::string detail() const { return {}; }
  // The same device in every process and after a reboot (a GPU's UUID); id() where there is
  // nothing better. Power limits are recorded by it (limits/), as NVML indices can change.
  virtual std::string hardware_id() const { return id(); }

  virtual bool supports_power_limit() const { return false; }
  // The calls below throw HardwareError when the device has no power limit, and
  // set_power_limit throws PermissionError when the process lacks the privilege.
  virtual PowerLimitRange power_limit_range();
  virtual Power power_limit();
  virtual Power default_power_limit();
  virtual void set_power_limit(Power limit);
};

}  // namespace chase

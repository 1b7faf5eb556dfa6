#pragma once
// Whether, and how, each device is metered: the one list `chase devices`, `chase measure` and
// `chase run` all print and export, so that no device discovery found, and none that
// CUDA_VISIBLE_DEVICES names, drops out of a report in silence.
//
// A device is metered by its energy counter (NVML's total-energy counter, RAPL's energy_uj),
// by integrating power polls over time (a GPU without a counter), or by an estimate (the CPU
// from its TDP and utilisation); or not at all, and then `reason` says why: hidden by
// CUDA_VISIBLE_DEVICES, a MIG instance, a GPU whose queries fail, a RAPL zone this process may
// not read, a backend with no device here, left out by --device.

#include <string>
#include <vector>

#include "energy/power_device.hpp"

namespace chase {

enum class Metering {
  kCounter,           // a hardware energy counter
  kPowerIntegration,  // power polls integrated over time (only as good as the polling)
  kEstimate,          // a model, not a measurement
  kNone,              // not metered; see the reason
};

// "counter", "power-integration", "estimate", "none" (the JSON values).
const char* to_string(Metering metering);
// "counter", "power integration", "estimate", "not metered" (the tables' words).
const char* to_words(Metering metering);

struct DeviceEntry {
  std::string id;       // "nvml:0", "rapl:package-0", "estimated:cpu"; "cuda:<entry>" for an entry
                        // of CUDA_VISIBLE_DEVICES naming no GPU; the backend's name when it found none
  std::string name;     // "NVIDIA A40", "package-0", "MIG instance", "no device found"
  std::string backend;  // "nvml", "rapl", "estimated"
  Metering metering = Metering::kNone;
  std::string reason;   // how it is metered, or why it is not (one line)
  std::string detail;   // what identifies it beyond its name (UUID, sysfs zone, the estimate's model)

  bool metered() const { return metering != Metering::kNone; }
};

// How `device` is metered: estimate when estimated(), else counter or power integration.
Metering metering_of(const PowerDevice& device);

// The entry of a device that is metered: its metering, a reason saying how, and its detail.
DeviceEntry metered_entry(const PowerDevice& device);

// The entry of a device that exists but is not metered, with why.
DeviceEntry unmetered_entry(const PowerDevice& device, std::string reason);

// "id: reason; id: reason" for the entries of `backend` (every backend when empty) that are not
// metered; empty when there are none. For errors that must say why nothing could be used.
std::string why_not_metered(const std::vector<DeviceEntry>& entries, const std::string& backend = "");

}  // namespace chase

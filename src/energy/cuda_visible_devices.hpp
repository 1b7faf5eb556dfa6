#pragma once
// Which GPUs a job may use, from CUDA_VISIBLE_DEVICES, so `chase measure` meters only its own —
// and, for every GPU and entry left out, why. Entries are NVML indices, GPU UUIDs
// ("GPU-8932f937-..." or any unique prefix such as "GPU-8932f937") or MIG instances
// ("MIG-<uuid>", or the older "MIG-GPU-<gpu uuid>/<gi>/<ci>"), in the order CUDA will number
// them. As CUDA does, parsing stops at the first entry that names no GPU (or a GPU already
// listed): that entry and all after it are ignored. Indices are read in NVML's PCI bus order,
// which is CUDA's order only with CUDA_DEVICE_ORDER=PCI_BUS_ID; UUIDs are unambiguous either way.
//
// MIG instances are named but not metered: NVML has no energy counter (nor power reading) per
// instance, and the parent GPU's counter counts every instance on it, whoever runs there, so
// metering the parent would charge this job with its neighbours' energy. The older form names
// the parent, which is then said to be hidden for that reason; the newer form does not.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chase {

struct GpuIdentity {
  unsigned index = 0;  // NVML index
  std::string uuid;    // "GPU-..."; empty when NVML could not say (the GPU still has its index)
};

// An entry that names no whole GPU to meter.
struct UnmatchedEntry {
  std::string entry;   // as written, without surrounding spaces
  std::string kind;    // "MIG instance", "no such GPU" or "ignored" (after an entry naming no GPU)
  std::string reason;  // one line: what it names and why it is not metered
};

struct VisibleGpus {
  std::vector<unsigned> indices;  // NVML indices, in CUDA_VISIBLE_DEVICES order
  std::string note;               // why entries were ignored; empty when all were used
  std::vector<UnmatchedEntry> unmatched;   // in the variable's order
  std::map<unsigned, std::string> hidden;  // every GPU not in `indices` → why the job cannot see it
};

// `value` is the variable's content, or nullopt when it is unset (every GPU visible).
VisibleGpus select_visible_gpus(std::optional<std::string_view> value, const std::vector<GpuIdentity>& gpus);

}  // namespace chase

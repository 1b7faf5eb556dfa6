#pragma once
// Which GPUs a job may use, from CUDA_VISIBLE_DEVICES, so `chase measure` meters only its own.
// Entries are NVML indices or UUIDs ("GPU-8932f937-..." or any unique prefix such as
// "GPU-8932f937"), in the order CUDA will number them. As CUDA does, parsing stops at the first
// entry that names no GPU (or a GPU already listed): that entry and all after it are ignored.
// Indices are read in NVML's PCI bus order, which is CUDA's order only with
// CUDA_DEVICE_ORDER=PCI_BUS_ID; UUIDs are unambiguous either way.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chase {

struct GpuIdentity {
  unsigned index = 0;  // NVML index
  std::string uuid;    // "GPU-..."
};

struct VisibleGpus {
  std::vector<unsigned> indices;  // NVML indices, in CUDA_VISIBLE_DEVICES order
  std::string note;               // why entries were ignored; empty when all were used
};

// `value` is the variable's content, or nullopt when it is unset (every GPU visible).
VisibleGpus select_visible_gpus(std::optional<std::string_view> value, const std::vector<GpuIdentity>& gpus);

}  // namespace chase

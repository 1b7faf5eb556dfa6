// The NVML backend's discovery: every GPU the driver lists, as CUDA_VISIBLE_DEVICES selects them.
// Every GPU and every entry of CUDA_VISIBLE_DEVICES ends up either metered or in the report's
// not_metered list with why: hidden from the job, a MIG instance, a GPU whose queries fail, or
// no driver at all.

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "energy/cuda_visible_devices.hpp"
#include "energy/device_backend.hpp"
#include "energy/nvml_device.hpp"

namespace chase {
namespace {

DeviceEntry gpu_not_metered(unsigned index, std::string name, std::string reason, std::string uuid) {
  return {fmt::format("nvml:{}", index), std::move(name), "nvml", Metering::kNone, std::move(reason), std::move(uuid)};
}

// Entries of CUDA_VISIBLE_DEVICES when there is no GPU list to match them against: each names
// a device the job expects and that is not metered, for the backend's reason.
void name_entries_without_gpus(const DiscoveryOptions& o, BackendReport& report) {
  if (!o.cuda_visible_devices) return;
  for (const UnmatchedEntry& e : select_visible_gpus(o.cuda_visible_devices, {}).unmatched) {
    if (e.entry.rfind('-', 0) == 0) continue;  // "-1" hides every GPU: it names none
    const std::string kind = e.kind == "MIG instance" ? e.kind : "GPU";
    report.not_metered.push_back({"cuda:" + e.entry, kind, "nvml", Metering::kNone,
                                  fmt::format("named by CUDA_VISIBLE_DEVICES, but {}", report.detail), {}});
  }
}

// What NVML says of each GPU it counts: its identity (an index even when the UUID cannot be
// read: CUDA_VISIBLE_DEVICES may still name it), its name, and why a GPU cannot be used.
struct GpuListing {
  std::vector<GpuIdentity> gpus;
  std::map<unsigned, std::string> unusable;  // GPUs whose handle or UUID NVML would not give, and why
  std::map<unsigned, std::string> names;     // for the rows of GPUs that are not metered

  std::string name_of(unsigned index) const {
    const auto it = names.find(index);
    return it == names.end() ? std::string("GPU") : it->second;
  }
};

GpuListing list_gpus(const NvmlLibrary& library, unsigned count, BackendReport& report) {
  GpuListing listing;
  for (unsigned i = 0; i < count; ++i) {
    try {
      const nvml::Device handle = library.device_handle(i);
      char uuid[nvml::kDeviceUuidBufferSize] = {};
      library.check(library.api().device_get_uuid(handle, uuid, sizeof uuid), nvml::kDeviceGetUuidSymbol,
                    fmt::format("GPU {}", i));
      listing.gpus.push_back({i, uuid});
      char name[nvml::kDeviceNameBufferSize] = {};
      if (library.api().device_get_name(handle, name, sizeof name) == nvml::kSuccess) listing.names[i] = name;
    } catch (const PermissionError& e) {
      listing.gpus.push_back({i, {}});
      listing.unusable[i] = fmt::format("no permission (not given to this container?): {}", e.what());
      report.notes.push_back(fmt::format("GPU {} skipped, {}", i, listing.unusable[i]));
    } catch (const Error& e) {
      listing.gpus.push_back({i, {}});
      listing.unusable[i] = fmt::format("NVML fails on it: {}", e.what());
      report.notes.push_back(fmt::format("GPU {} skipped: {}", i, e.what()));
    }
  }
  return listing;
}

// Opens each visible GPU; those that cannot be used, those hidden from the job and the entries
// of CUDA_VISIBLE_DEVICES that name no GPU become the report's not_metered rows.
void open_visible_gpus(const std::shared_ptr<const NvmlLibrary>& library, const GpuListing& listing,
                       const VisibleGpus& visible, Clock& clock, BackendReport& report,
                       std::vector<std::shared_ptr<PowerDevice>>& out) {
  std::vector<DeviceEntry> rows;
  for (unsigned index : visible.indices) {
    if (const auto it = listing.unusable.find(index); it != listing.unusable.end()) {
      rows.push_back(gpu_not_metered(index, "GPU", it->second, {}));
      continue;
    }
    try {
      out.push_back(std::make_shared<NvmlDevice>(library, index, clock));
    } catch (const Error& e) {
      report.notes.push_back(fmt::format("GPU {} skipped: {}", index, e.what()));
      rows.push_back(gpu_not_metered(index, listing.name_of(index), fmt::format("NVML fails on it: {}", e.what()),
                                     listing.gpus[index].uuid));
    }
  }
  for (const auto& [index, why] : visible.hidden) {
    rows.push_back(gpu_not_metered(index, listing.name_of(index), fmt::format("hidden from the job: {}", why),
                                   listing.gpus[index].uuid));
  }
  for (const UnmatchedEntry& e : visible.unmatched) {
    rows.push_back({"cuda:" + e.entry, e.kind, "nvml", Metering::kNone, e.reason, {}});
  }
  report.not_metered = std::move(rows);
}

BackendReport discover_nvml(const DiscoveryContext& context, std::vector<std::shared_ptr<PowerDevice>>& out) {
  const DiscoveryOptions& o = context.options;
  BackendReport report{"nvml", BackendState::kAbsent, {}, {}, {}};
  if (!o.use_nvml) {
    report.state = BackendState::kNotUsed;
    report.detail = "turned off";
    return report;
  }
  std::shared_ptr<const NvmlLibrary> library;
  try {
    library = std::make_shared<const NvmlLibrary>(o.nvml_library);
  } catch (const NvmlAbsentError& e) {
    report.detail = fmt::format("no NVIDIA driver: {}", e.what());
    name_entries_without_gpus(o, report);
    return report;
  } catch (const Error& e) {
    report = failed(std::move(report), e);
    name_entries_without_gpus(o, report);
    return report;
  }
  try {
    const unsigned count = library->device_count();
    const GpuListing listing = list_gpus(*library, count, report);
    const VisibleGpus visible = select_visible_gpus(o.cuda_visible_devices, listing.gpus);
    if (!visible.note.empty()) report.notes.push_back(visible.note);
    open_visible_gpus(library, listing, visible, context.clock, report, out);
    const std::size_t used = visible.indices.size();
    std::string what = fmt::format("driver {}, {} of {} GPU{}", library->driver_version(), used, count, count == 1 ? "" : "s");
    if (o.cuda_visible_devices) what += fmt::format(" (CUDA_VISIBLE_DEVICES='{}')", *o.cuda_visible_devices);
    report.detail = what;
    const bool any = std::any_of(out.begin(), out.end(), [](const auto& d) { return d->backend() == "nvml"; });
    report.state = any ? BackendState::kAvailable : (count == 0 || used == 0 ? BackendState::kAbsent : BackendState::kFailed);
    if (count == 0) report.detail = fmt::format("driver {}, no NVIDIA GPU", library->driver_version());
  } catch (const Error& e) {
    report = failed(std::move(report), e);
    report.not_metered.clear();
    name_entries_without_gpus(o, report);
  }
  return report;
}

}  // namespace

DeviceBackendEntry nvml_backend_entry() {
  return {"nvml", "NVIDIA GPUs through the driver's NVML library: energy counter, power, power limits", false,
          discover_nvml};
}

}  // namespace chase

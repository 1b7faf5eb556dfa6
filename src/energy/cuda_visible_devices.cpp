#include "energy/cuda_visible_devices.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/number_parse.hpp"

namespace chase {
namespace {

// Why a MIG instance is named but not metered (see the header).
constexpr const char* kMigNotMetered =
    "NVML has no energy counter per MIG instance, and the GPU's counter counts every instance on it, so it is not "
    "metered";

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

bool contains(const std::vector<unsigned>& indices, unsigned index) {
  return std::find(indices.begin(), indices.end(), index) != indices.end();
}

// What an entry names: a whole GPU (its NVML index), a MIG instance (valid for CUDA, so parsing
// goes on; with its parent GPU when the entry says which), or nothing, with the reason.
struct Match {
  std::optional<unsigned> index;
  bool mig = false;
  std::optional<unsigned> mig_parent;
  std::string reason;
};

Match no_gpu(std::string reason) { return {std::nullopt, false, std::nullopt, std::move(reason)}; }

const GpuIdentity* gpu_at(unsigned index, const std::vector<GpuIdentity>& gpus) {
  for (const auto& g : gpus) {
    if (g.index == index) return &g;
  }
  return nullptr;
}

Match match_uuid(std::string_view entry, const std::vector<GpuIdentity>& gpus) {
  std::vector<unsigned> found;
  for (const auto& g : gpus) {
    if (!g.uuid.empty() && starts_with_ignoring_case(g.uuid, entry)) found.push_back(g.index);
  }
  if (found.size() == 1) return {found.front(), false, std::nullopt, {}};
  if (found.empty()) return no_gpu(fmt::format("'{}' matches no GPU UUID", entry));
  return no_gpu(fmt::format("'{}' matches {} GPU UUIDs", entry, found.size()));
}

Match match_mig(std::string_view entry, const std::vector<GpuIdentity>& gpus) {
  const std::string_view rest = entry.substr(4);
  if (!starts_with_ignoring_case(rest, "GPU-")) {
    // "MIG-<uuid>" (CUDA 11.3 and later): the instance's own UUID, which does not say its GPU.
    return {std::nullopt, true, std::nullopt, fmt::format("'{}' is a MIG instance: {}", entry, kMigNotMetered)};
  }
  // "MIG-GPU-<gpu uuid>/<gi>/<ci>": the parent GPU's UUID, then the GPU and compute instance.
  const std::size_t slash = rest.find('/');
  const std::string_view parent_uuid = rest.substr(0, slash);
  const std::string_view instance = slash == std::string_view::npos ? std::string_view("?") : rest.substr(slash + 1);
  const Match parent = match_uuid(parent_uuid, gpus);
  if (!parent.index) return no_gpu(fmt::format("'{}' is a MIG instance of a GPU not here ({})", entry, parent.reason));
  const GpuIdentity* gpu = gpu_at(*parent.index, gpus);
  return {std::nullopt, true, parent.index,
          fmt::format("'{}' is MIG instance {} of GPU {} ({}): {}", entry, instance, *parent.index, gpu->uuid,
                      kMigNotMetered)};
}

Match match_entry(std::string_view entry, const std::vector<GpuIdentity>& gpus) {
  if (all_digits(entry)) {
    const auto n = parse_int(entry);
    for (const auto& g : gpus) {
      if (n && *n == static_cast<std::int64_t>(g.index)) return {g.index, false, std::nullopt, {}};
    }
    return no_gpu(fmt::format("index {} is not a GPU (there are {})", entry, gpus.size()));
  }
  if (entry.size() > 1 && entry.front() == '-' && all_digits(entry.substr(1))) {
    return no_gpu(fmt::format("'{}' is a negative index, which names no GPU (the usual way to hide them all)", entry));
  }
  if (starts_with_ignoring_case(entry, "MIG-") && entry.size() > 4) return match_mig(entry, gpus);
  if (starts_with_ignoring_case(entry, "GPU-") && entry.size() > 4) return match_uuid(entry, gpus);
  return no_gpu(fmt::format("'{}' is neither an index nor a GPU or MIG UUID", entry));
}

std::vector<std::string_view> entries_of(std::string_view value) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t comma = value.find(',');
    out.push_back(trim(value.substr(0, comma)));
    if (comma == std::string_view::npos) return out;
    value = value.substr(comma + 1);
  }
}

}  // namespace

VisibleGpus select_visible_gpus(std::optional<std::string_view> value, const std::vector<GpuIdentity>& gpus) {
  VisibleGpus out;
  if (!value) {
    for (const auto& g : gpus) out.indices.push_back(g.index);
    return out;
  }
  // Every GPU not given a more specific reason below is simply not named.
  auto hide_the_rest = [&](const std::string& why) {
    for (const auto& g : gpus) {
      if (!contains(out.indices, g.index)) out.hidden.emplace(g.index, why);  // keeps a reason already there
    }
  };
  if (trim(*value).empty()) {
    out.note = "CUDA_VISIBLE_DEVICES is empty: no GPU is visible";
    hide_the_rest(out.note);
    return out;
  }
  const std::string quoted = fmt::format("CUDA_VISIBLE_DEVICES='{}'", *value);
  std::optional<std::string_view> stopped_at;  // the first entry naming no GPU
  for (const std::string_view entry : entries_of(*value)) {
    Match m = match_entry(entry, gpus);
    if (stopped_at) {
      const std::string why =
          fmt::format("{}: '{}' comes after '{}', which names no GPU, so CUDA ignores it", quoted, entry, *stopped_at);
      if (m.index && !contains(out.indices, *m.index)) {
        out.hidden.emplace(*m.index, why);
      } else {
        out.unmatched.push_back({std::string(entry), "ignored", why});
      }
      continue;
    }
    if (m.index && contains(out.indices, *m.index)) m = no_gpu(fmt::format("'{}' names GPU {} a second time", entry, *m.index));
    if (m.index) {
      out.indices.push_back(*m.index);
      out.hidden.erase(*m.index);
    } else if (m.mig) {
      out.unmatched.push_back({std::string(entry), "MIG instance", m.reason});
      if (m.mig_parent && !contains(out.indices, *m.mig_parent)) {
        out.hidden.emplace(*m.mig_parent,
                           fmt::format("{} names only its MIG instance '{}'; the GPU's counter counts every instance "
                                       "on it, so it is not metered",
                                       quoted, entry));
      }
    } else {
      stopped_at = entry;
      out.note = fmt::format("{}: {}, so it and every entry after it are ignored, as CUDA does", quoted, m.reason);
      // A negative index ("-1") is how GPUs are hidden on purpose: it names no device to list.
      // An empty entry ("0,,1", a trailing comma) names nothing either, and says so.
      if (entry.empty()) {
        out.unmatched.push_back({"(empty entry)", "no such GPU", out.note});
      } else if (entry.front() != '-') {
        out.unmatched.push_back({std::string(entry), "no such GPU", out.note});
      }
    }
  }
  const bool nothing_named = out.indices.empty() && out.unmatched.empty();
  hide_the_rest(nothing_named && !out.note.empty() ? out.note : fmt::format("not in {}", quoted));
  return out;
}

}  // namespace chase

#include "energy/cuda_visible_devices.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/number_parse.hpp"

namespace chase {
namespace {

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

// The NVML index an entry names, or a reason why it names none.
struct Match {
  std::optional<unsigned> index;
  std::string reason;
};

Match match_entry(std::string_view entry, const std::vector<GpuIdentity>& gpus) {
  if (all_digits(entry)) {
    const auto n = parse_int(entry);
    for (const auto& g : gpus) {
      if (n && *n == static_cast<std::int64_t>(g.index)) return {g.index, {}};
    }
    return {std::nullopt, fmt::format("index {} is not a GPU (there are {})", entry, gpus.size())};
  }
  if (starts_with_ignoring_case(entry, "MIG-")) {
    return {std::nullopt, fmt::format("'{}' is a MIG instance, which is not metered separately", entry)};
  }
  if (starts_with_ignoring_case(entry, "GPU-") && entry.size() > 4) {
    std::vector<unsigned> found;
    for (const auto& g : gpus) {
      if (starts_with_ignoring_case(g.uuid, entry)) found.push_back(g.index);
    }
    if (found.size() == 1) return {found.front(), {}};
    if (found.empty()) return {std::nullopt, fmt::format("'{}' matches no GPU UUID", entry)};
    return {std::nullopt, fmt::format("'{}' matches {} GPU UUIDs", entry, found.size())};
  }
  return {std::nullopt, fmt::format("'{}' is neither an index nor a GPU UUID", entry)};
}

}  // namespace

VisibleGpus select_visible_gpus(std::optional<std::string_view> value, const std::vector<GpuIdentity>& gpus) {
  VisibleGpus out;
  if (!value) {
    for (const auto& g : gpus) out.indices.push_back(g.index);
    return out;
  }
  if (trim(*value).empty()) {
    out.note = "CUDA_VISIBLE_DEVICES is empty: no GPU is visible";
    return out;
  }
  std::string_view rest = *value;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view entry = trim(rest.substr(0, comma));
    Match m = match_entry(entry, gpus);
    if (m.index && std::find(out.indices.begin(), out.indices.end(), *m.index) != out.indices.end()) {
      m = {std::nullopt, fmt::format("'{}' names GPU {} a second time", entry, *m.index)};
    }
    if (!m.index) {
      out.note = fmt::format("CUDA_VISIBLE_DEVICES='{}': {}, so it and every entry after it are ignored, as CUDA does",
                             *value, m.reason);
      return out;
    }
    out.indices.push_back(*m.index);
    if (comma == std::string_view::npos) return out;
    rest = rest.substr(comma + 1);
  }
}

}  // namespace chase

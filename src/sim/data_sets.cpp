#include "sim/data_sets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/embedded_data.hpp"
#include "core/error.hpp"
#include "core/text_list.hpp"

namespace chase {
namespace {

// The arguments one spec stands for, each a path or a bundled name.
std::vector<std::string> expand(const std::string& spec, std::string_view bundled_dir) {
  std::vector<std::string> out;
  if (spec == "bundled") {
    for (const auto name : embedded_names(fmt::format("{}/", bundled_dir))) {
      if (name.ends_with(".csv")) out.emplace_back(name.substr(bundled_dir.size() + 1, name.size() - bundled_dir.size() - 5));
    }
    return out;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(spec, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(spec, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".csv") out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end());
    if (out.empty()) throw InputError(fmt::format("no .csv files in directory {}", spec));
    return out;
  }
  out = split_list(spec, ',', EmptyItems::kDrop);
  if (out.empty()) throw InputError(fmt::format("nothing named in '{}'", spec));
  refuse_repeated_items(out);
  return out;
}

}  // namespace

std::string data_name(std::string_view source) {
  const std::size_t slash = source.find_last_of("/:");
  std::string_view name = slash == std::string_view::npos ? source : source.substr(slash + 1);
  if (name.ends_with(".csv")) name.remove_suffix(4);
  return std::string(name);
}

std::vector<IntensityTrace> load_traces(const std::string& spec) {
  std::vector<IntensityTrace> traces;
  for (const auto& arg : expand(spec, "traces")) traces.push_back(IntensityTrace::load(arg));
  return traces;
}

std::vector<PowerProfile> load_profiles(const std::string& spec) {
  std::vector<PowerProfile> profiles;
  for (const auto& arg : expand(spec, "gpu-profiles")) profiles.push_back(PowerProfile::load(arg));
  return profiles;
}

}  // namespace chase

#include "cli/data_sets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "cli/flag_checks.hpp"
#include "core/embedded_data.hpp"
#include "core/error.hpp"

namespace chase::cli {
namespace {

// The arguments one spec stands for, each a path or a bundled name.
std::vector<std::string> expand(const std::string& spec, std::string_view bundled_dir, const std::string& flag) {
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
    if (out.empty()) throw InputError(fmt::format("{}: no .csv files in directory {}", flag, spec));
    return out;
  }
  std::size_t from = 0;
  while (from <= spec.size()) {
    const std::size_t comma = spec.find(',', from);
    const std::string item = spec.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  if (out.empty()) throw InputError(fmt::format("{}: nothing named in '{}'", flag, spec));
  return out;
}

}  // namespace

std::string data_name(std::string_view source) {
  const std::size_t slash = source.find_last_of("/:");
  std::string_view name = slash == std::string_view::npos ? source : source.substr(slash + 1);
  if (name.ends_with(".csv")) name.remove_suffix(4);
  return std::string(name);
}

std::vector<IntensityTrace> load_traces(const std::string& spec, const std::string& flag) {
  std::vector<IntensityTrace> traces;
  for (const auto& arg : expand(spec, "traces", flag)) {
    traces.push_back(with_flag(flag, [&] { return IntensityTrace::load(arg); }));
  }
  return traces;
}

std::vector<PowerProfile> load_profiles(const std::string& spec, const std::string& flag) {
  std::vector<PowerProfile> profiles;
  for (const auto& arg : expand(spec, "gpu-profiles", flag)) {
    profiles.push_back(with_flag(flag, [&] { return PowerProfile::load(arg); }));
  }
  return profiles;
}

}  // namespace chase::cli

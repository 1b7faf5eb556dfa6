#include "core/data_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/embedded_data.hpp"
#include "core/error.hpp"

namespace chase {

std::optional<std::string_view> find_embedded(std::string_view name) {
  for (const auto& file : embedded_files()) {
    if (file.name == name) return file.content;
  }
  return std::nullopt;
}

std::string_view require_embedded(std::string_view name) {
  if (auto content = find_embedded(name)) return *content;
  throw Error(fmt::format("bundled data file {} is missing from this build", name));
}

std::vector<std::string_view> embedded_names(std::string_view prefix) {
  std::vector<std::string_view> names;
  for (const auto& file : embedded_files()) {
    if (file.name.starts_with(prefix)) names.push_back(file.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

LoadedText read_text_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(fmt::format("cannot read {}: is a directory", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(fmt::format("cannot read {}: I/O error", path.string()));
  return LoadedText{path.string(), buffer.str()};
}

LoadedText load_data_argument(std::string_view arg, std::string_view bundled_dir, std::string_view extension) {
  const std::filesystem::path path{std::string(arg)};
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return read_text_file(path);
  for (const auto& name : {fmt::format("{}/{}{}", bundled_dir, arg, extension), fmt::format("{}/{}", bundled_dir, arg)}) {
    if (auto content = find_embedded(name)) return LoadedText{"bundled:" + name, std::string(*content)};
  }
  std::vector<std::string> bundled;
  for (auto name : embedded_names(fmt::format("{}/", bundled_dir))) {
    auto stem = name.substr(bundled_dir.size() + 1);
    if (!extension.empty() && stem.ends_with(extension)) stem.remove_suffix(extension.size());
    bundled.emplace_back(stem);
  }
  throw InputError(fmt::format("'{}': no such file, and not a bundled name (bundled: {})", arg,
                               bundled.empty() ? std::string("none") : fmt::format("{}", fmt::join(bundled, ", "))));
}

}  // namespace chase

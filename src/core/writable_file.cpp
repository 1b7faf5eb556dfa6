#include "core/writable_file.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace chase {

void require_writable_file(const std::filesystem::path& path, std::string_view writer) {
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  if (std::filesystem::is_directory(path) || !std::filesystem::is_directory(folder)) {
    throw InputError(
        fmt::format("'{}' is not a file {} can write (a folder, or in a missing one)", path.string(), writer));
  }
}

}  // namespace chase

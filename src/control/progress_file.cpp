#include "control/progress_file.hpp"

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"

namespace chase {

std::optional<std::int64_t> ProgressFile::read() {
  std::ifstream in(path_);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const auto end = text.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return std::nullopt;
  const auto space = text.find_last_of(" \t\r\n", end);
  const std::size_t first = space == std::string::npos ? 0 : space + 1;
  const std::string last = text.substr(first, end + 1 - first);
  std::int64_t count = 0;
  const auto [ptr, ec] = std::from_chars(last.data(), last.data() + last.size(), count);
  if (ec != std::errc() || ptr != last.data() + last.size() || count < 0) {
    throw InputError(fmt::format("progress file {}: '{}' is not a count of completed iterations", path_.string(), last));
  }
  if (count < last_) {
    throw InputError(fmt::format("progress file {}: the iteration count went back from {} to {}", path_.string(), last_,
                                 count));
  }
  last_ = count;
  return count;
}

}  // namespace chase

#include "control/progress_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <string>

#include "core/data_file.hpp"
#include "core/error.hpp"
#include "core/text_file.hpp"

namespace chase {

std::optional<std::int64_t> ProgressFile::read() {
  // Through the one reader of files: a FIFO with no writer is refused instead of blocking.
  const std::optional<LoadedText> bytes = read_text_file_if_exists(path_);
  if (!bytes) return std::nullopt;
  // Decoded like every text file: a job on Windows (PowerShell's `echo 5 > FILE`) writes UTF-16
  // with a BOM, Notepad a UTF-8 BOM, and old tools CR line ends.
  const std::string source = fmt::format("progress file {}", path_.string());
  const std::string text = decode_text(bytes->content, source).text;
  const auto end = text.find_last_not_of(" \t\n");
  if (end == std::string::npos) return std::nullopt;
  const auto space = text.find_last_of(" \t\n", end);
  const std::size_t first = space == std::string::npos ? 0 : space + 1;
  const std::string last = text.substr(first, end + 1 - first);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + first, '\n'));
  std::int64_t count = 0;
  const auto [ptr, ec] = std::from_chars(last.data(), last.data() + last.size(), count);
  if (ec != std::errc() || ptr != last.data() + last.size() || count < 0) {
    throw ParseError(source, line, fmt::format("{} is not a count of completed iterations", quoted_excerpt(last)));
  }
  if (count < last_) {
    throw ParseError(source, line, fmt::format("the iteration count went back from {} to {}", last_, count));
  }
  last_ = count;
  return count;
}

}  // namespace chase

#include "energy/cpu_model.hpp"

#include <sstream>

#include "core/data_file.hpp"
#include "core/error.hpp"
#include "core/number_parse.hpp"

namespace chase {

std::optional<std::string> read_cpu_model_name(const std::filesystem::path& proc_root) {
  // Through the one reader of files (a FIFO with no writer is refused, not waited on forever);
  // cpuinfo is optional, so a file that cannot be read names no model.
  std::string text;
  try {
    text = read_text_file(proc_root / "cpuinfo").content;
  } catch (const Error&) {
    return std::nullopt;
  }
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string_view value = trim(std::string_view(line).substr(colon + 1));
    if (!value.empty()) return std::string(value);
  }
  return std::nullopt;
}

}  // namespace chase

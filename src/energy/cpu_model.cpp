#include "energy/cpu_model.hpp"

#include <fstream>

#include "core/number_parse.hpp"

namespace chase {

std::optional<std::string> read_cpu_model_name(const std::filesystem::path& proc_root) {
  std::ifstream in(proc_root / "cpuinfo");
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

#include "account/cpu_preset_match.hpp"

#include <cctype>

namespace chase {
namespace {

// "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz" -> "intel xeon gold 6248 cpu @ 2.50ghz"
std::string normalised(std::string text) {
  for (const char* mark : {"(R)", "(r)", "(TM)", "(tm)"}) {
    for (std::size_t at; (at = text.find(mark)) != std::string::npos;) text.erase(at, std::char_traits<char>::length(mark));
  }
  std::string out;
  for (char c : text) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(lower);
  }
  return out;
}

}  // namespace

const ProcessorPreset* cpu_preset_for_model(const std::string& model_name) {
  const std::string haystack = " " + normalised(model_name) + " ";
  for (const auto& p : bundled_processors().all()) {
    if (p.kind == "cpu" && haystack.find(" " + normalised(p.name) + " ") != std::string::npos) return &p;
  }
  return nullptr;
}

}  // namespace chase

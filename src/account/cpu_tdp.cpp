#include "account/cpu_tdp.hpp"

#include <fmt/format.h>

#include <cctype>
#include <vector>

#include "core/error.hpp"

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

const ProcessorPreset& cpu_preset(const std::string& key) {
  const ProcessorPreset& p = bundled_processors().get(key);
  if (p.kind != "cpu") {
    std::vector<std::string> cpus;
    for (const auto& q : bundled_processors().all()) {
      if (q.kind == "cpu") cpus.push_back(q.key);
    }
    throw InputError(fmt::format("'{}' is a {} preset, not a CPU (CPU presets: {})", p.key, p.kind, fmt::join(cpus, ", ")));
  }
  return p;
}

const ProcessorPreset* cpu_preset_for_model(const std::string& model_name) {
  // (fmt rather than string concatenation: GCC 12 at -O3 reports a false -Wrestrict there.)
  const std::string haystack = fmt::format(" {} ", normalised(model_name));
  for (const auto& p : bundled_processors().all()) {
    if (p.kind == "cpu" && haystack.find(fmt::format(" {} ", normalised(p.name))) != std::string::npos) return &p;
  }
  return nullptr;
}

CpuTdp preset_tdp(const ProcessorPreset& preset, const std::string& why) {
  return {preset.tdp, fmt::format("{} preset, {}", preset.key, why)};
}

CpuTdp cpu_tdp_for_model(const std::optional<std::string>& model_name) {
  if (model_name) {
    if (const ProcessorPreset* p = cpu_preset_for_model(*model_name)) return preset_tdp(*p, "from /proc/cpuinfo");
  }
  return preset_tdp(bundled_processors().get(kDefaultCpuPreset),
                    fmt::format("the default: {} matches no CPU preset",
                                model_name ? "'" + *model_name + "'" : "no CPU model name"));
}

}  // namespace chase

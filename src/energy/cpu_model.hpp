#pragma once
// The CPU's marketing name from /proc/cpuinfo ("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz"), so
// the CLI can pick the estimated device's TDP from a matching processor preset.

#include <filesystem>
#include <optional>
#include <string>

namespace chase {

// The first "model name" of <proc_root>/cpuinfo; nullopt when absent or unreadable.
std::optional<std::string> read_cpu_model_name(const std::filesystem::path& proc_root);

}  // namespace chase

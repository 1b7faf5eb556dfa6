#pragma once
// The environment seam: std::getenv in production, a map in tests. Everything that reads an
// environment variable (API keys, the cache's and the run store's default places, a job's
// SLURM/torchrun context) takes one of these.

#include <functional>
#include <optional>
#include <string>

namespace chase {

using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvironmentLookup process_environment();

}  // namespace chase

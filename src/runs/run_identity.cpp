#include "runs/run_identity.hpp"

#include <pwd.h>
#include <unistd.h>

#include <array>

namespace chase {
namespace {

std::string user_name() {
  const uid_t uid = ::getuid();
  std::array<char, 4096> buffer{};
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) return found->pw_name;
  return "uid " + std::to_string(uid);
}

}  // namespace

const char* chase_version() { return CHASE_VERSION; }

const std::vector<std::string>& job_context_variables() {
  static const std::vector<std::string> names = {
      "SLURM_JOB_ID", "SLURM_PROCID",     "SLURM_NODEID", "SLURM_JOB_NAME",      "RANK",
      "WORLD_SIZE",   "LOCAL_RANK",       "LOCAL_WORLD_SIZE", "MASTER_ADDR", "CUDA_VISIBLE_DEVICES"};
  return names;
}

std::map<std::string, std::string> job_context(const EnvironmentLookup& environment) {
  std::map<std::string, std::string> out;
  for (const std::string& name : job_context_variables()) {
    if (auto value = environment(name)) out[name] = *value;
  }
  return out;
}

RunHeader run_header(std::string kind, std::vector<std::string> command, UtcTime started_at,
                     std::optional<std::string> intensity_source, const EnvironmentLookup& environment) {
  RunHeader h;
  h.kind = std::move(kind);
  h.command = std::move(command);
  h.started_at = started_at;
  h.host = host_name();
  h.user = user_name();
  h.chase_version = chase_version();
  const ProcessIdentity self = this_process();
  h.pid = self.pid;
  h.pid_start_ticks = self.start_ticks;
  h.boot_id = self.boot_id;
  h.intensity_source = std::move(intensity_source);
  h.context = job_context(environment);
  return h;
}

}  // namespace chase

#include "runs/run_identity.hpp"

#include <pwd.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <sstream>

namespace chase {
namespace {

std::string first_line_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string host_name() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0) return "";
  return name.data();
}

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

std::optional<std::int64_t> process_start_ticks(std::int64_t pid, const std::filesystem::path& proc_root) {
  const std::string stat = first_line_of(proc_root / std::to_string(pid) / "stat");
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields count from the
  // last ')'. starttime is field 22, the 20th after it.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(stat.substr(close + 1));
  std::string field;
  for (int i = 3; i <= 22; ++i) {
    if (!(rest >> field)) return std::nullopt;
  }
  try {
    return std::stoll(field);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

ProcessIdentity this_process(const std::filesystem::path& proc_root) {
  ProcessIdentity id;
  id.pid = ::getpid();
  id.start_ticks = process_start_ticks(id.pid, proc_root).value_or(0);
  id.boot_id = first_line_of(proc_root / "sys" / "kernel" / "random" / "boot_id");
  return id;
}

bool recorder_alive(const RunHeader& header, const std::filesystem::path& proc_root) {
  const std::string boot = first_line_of(proc_root / "sys" / "kernel" / "random" / "boot_id");
  if (!boot.empty() && !header.boot_id.empty() && boot != header.boot_id) return false;
  const auto ticks = process_start_ticks(header.pid, proc_root);
  return ticks.has_value() && *ticks == header.pid_start_ticks;
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

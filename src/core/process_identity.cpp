#include "core/process_identity.hpp"

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

std::string boot_id(const std::filesystem::path& proc_root) {
  return first_line_of(proc_root / "sys" / "kernel" / "random" / "boot_id");
}

}  // namespace

std::string host_name() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0) return "";
  return name.data();
}

std::optional<std::int64_t> process_start_ticks(std::int64_t pid, const std::filesystem::path& proc_root) {
  if (pid <= 0) return std::nullopt;
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
  id.boot_id = boot_id(proc_root);
  return id;
}

bool is_running(const ProcessIdentity& identity, const std::filesystem::path& proc_root) {
  const std::string boot = boot_id(proc_root);
  if (!boot.empty() && !identity.boot_id.empty() && boot != identity.boot_id) return false;
  const auto ticks = process_start_ticks(identity.pid, proc_root);
  return ticks.has_value() && *ticks == identity.start_ticks;
}

}  // namespace chase

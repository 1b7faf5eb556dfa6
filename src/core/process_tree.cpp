#include "core/process_tree.hpp"

#include <fmt/format.h>
#include <sys/prctl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>

#include "core/data_file.hpp"
#include "core/error.hpp"
#include "core/number_parse.hpp"

namespace chase {
namespace {

bool contains(const std::vector<pid_t>& pids, pid_t pid) {
  return std::find(pids.begin(), pids.end(), pid) != pids.end();
}

// "/proc/<pid>/stat" is "pid (comm) state ppid pgrp ...": comm may hold spaces and ')', so the
// fields are read after the last ')'.
bool parse_stat(const std::string& text, ProcessEntry& entry) {
  const std::size_t close = text.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream fields(text.substr(close + 1));
  char state = '?';
  long parent = 0;
  long group = 0;
  if (!(fields >> state >> parent >> group)) return false;
  entry.state = state;
  entry.parent = static_cast<pid_t>(parent);
  entry.group = static_cast<pid_t>(group);
  return true;
}

}  // namespace

SubreaperScope::SubreaperScope() {
  if (prctl(PR_GET_CHILD_SUBREAPER, &previous_, 0, 0, 0) != 0 || prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    throw Error(fmt::format("cannot become a child subreaper (prctl): {}", std::strerror(errno)));
  }
}

SubreaperScope::~SubreaperScope() { prctl(PR_SET_CHILD_SUBREAPER, previous_, 0, 0, 0); }

std::vector<ProcessEntry> read_process_table(const std::filesystem::path& proc_root) {
  std::vector<ProcessEntry> table;
  std::error_code ec;
  std::filesystem::directory_iterator it(proc_root, ec);
  if (ec) throw Error(fmt::format("cannot list the processes in {}: {}", proc_root.string(), ec.message()));
  for (const auto& dir : it) {
    const std::string name = dir.path().filename().string();
    const auto pid = parse_int(name);
    if (!pid || *pid <= 0 || name.find_first_not_of("0123456789") != std::string::npos) continue;
    // Through the one reader of files, so a stat that is a FIFO (a fake /proc) cannot block.
    std::optional<LoadedText> read;
    try {
      read = read_text_file_if_exists(dir.path() / "stat");
    } catch (const Error&) {
      continue;
    }
    if (!read) continue;  // ended while we looked
    const std::string text = read->content.substr(0, read->content.find('\n'));
    ProcessEntry entry;
    entry.pid = static_cast<pid_t>(*pid);
    if (parse_stat(text, entry)) table.push_back(entry);
  }
  return table;
}

std::vector<pid_t> children_of(pid_t parent, const std::vector<ProcessEntry>& table) {
  std::vector<pid_t> out;
  for (const auto& p : table) {
    if (p.parent == parent) out.push_back(p.pid);
  }
  return out;
}

std::vector<ProcessEntry> descendants_of(pid_t root, const std::vector<ProcessEntry>& table,
                                         const std::vector<pid_t>& excluded) {
  std::vector<ProcessEntry> out;
  std::vector<pid_t> frontier{root};
  while (!frontier.empty()) {
    const pid_t parent = frontier.back();
    frontier.pop_back();
    for (const auto& p : table) {
      if (p.parent != parent || p.pid == root || (parent == root && contains(excluded, p.pid))) continue;
      // /proc is not read atomically: a reused pid must not make the walk go round in circles.
      if (std::any_of(out.begin(), out.end(), [&](const ProcessEntry& seen) { return seen.pid == p.pid; })) continue;
      out.push_back(p);
      frontier.push_back(p.pid);
    }
  }
  return out;
}

}  // namespace chase

#pragma once
// A process as something that can be recognised later: its pid, its start time (so that a pid
// reused by another process is not taken for it) and the boot it runs in (pids repeat across
// boots). The run store keeps this for each recorder, to tell a live run from one whose chase died.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace chase {

struct ProcessIdentity {
  std::int64_t pid = 0;
  std::int64_t start_ticks = 0;  // /proc/PID/stat field 22: clock ticks after boot
  std::string boot_id;           // /proc/sys/kernel/random/boot_id
};

// gethostname(), "" when it fails: the host a run is recorded on.
std::string host_name();

// This process, read from `proc_root`. A field that cannot be read stays 0 / "".
ProcessIdentity this_process(const std::filesystem::path& proc_root = "/proc");

// `pid`'s start time, nullopt when there is no such process (or its stat cannot be read).
std::optional<std::int64_t> process_start_ticks(std::int64_t pid, const std::filesystem::path& proc_root = "/proc");

// True when `identity` is a process running now: same boot (when both are known), and its pid
// runs with the same start time.
bool is_running(const ProcessIdentity& identity, const std::filesystem::path& proc_root = "/proc");

}  // namespace chase

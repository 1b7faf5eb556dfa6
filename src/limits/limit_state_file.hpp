#pragma once
// chased's memory of what it changed, on disk (`--state-dir`/limits.json), so that a chased
// that crashed — or was killed with SIGKILL — restores the limits when it starts again. The
// file is written before a limit is first changed and after it is restored: write to a
// temporary file, fsync, rename over the old one, fsync the folder — a crash at any moment
// leaves the old file or the new one, never half of one.
//
//   {"version":1,"held":[{"index":0,"uuid":"GPU-…","original_mw":300000,
//                         "pid":4242,"uid":1001,"since_unix":1764558000}]}

#include <filesystem>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "limits/limit_protocol.hpp"

namespace chase {

struct HeldLimit {
  unsigned index = 0;
  std::string uuid = {};
  Power original = {};
  LimitHolder holder = {};
};

inline constexpr const char* kLimitStateFileName = "limits.json";

// The held limits in `file`; empty when there is no such file. Throws InputError naming the
// file when it cannot be read or parsed.
std::vector<HeldLimit> read_limit_state(const std::filesystem::path& file);
// Replaces `file` atomically and durably (mode 0600). Throws Error with the OS's reason.
void write_limit_state(const std::filesystem::path& file, const std::vector<HeldLimit>& held);

}  // namespace chase

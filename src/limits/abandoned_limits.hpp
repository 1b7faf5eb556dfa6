#pragma once
// Power limits without a daemon, made crash-safe across runs. A chase that sets limits itself
// writes down, before the first change, the limits it found (by GPU UUID), with its pid,
// process start time and boot (core/process_identity.hpp: a reused pid is not taken for it),
// its user and the time: `<dir>/chase-<pid>.json`. It removes the record when it ends — after
// LimitGuard has restored the limits. A chase killed with SIGKILL leaves its record, and the
// next `chase run` or `chase devices` finds it: the process is gone, so it restores the
// recorded originals and removes the record — or, without the privilege, says loudly which GPU
// is left lowered, by whom and since when, and keeps the record for a run that can. A GPU left
// lowered is never taken as a limit to restore to: `chase run` refuses to control it until its
// original is back.
//
// Where: CHASE_LIMIT_RECORDS_DIR if set; else /run/chase/limits for root (world-readable, so
// an unprivileged `chase devices` can tell), else $XDG_RUNTIME_DIR/chase/limits, else
// /tmp/chase-<uid>/limits. Readers look in /run/chase/limits and in their own.
//
//   {"version":1,"pid":4242,"start_ticks":123456,"boot_id":"…","uid":0,"since_unix":1764558000,
//    "limits":[{"device":"nvml:0","uuid":"GPU-…","original_mw":300000}]}

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/environment.hpp"
#include "core/process_identity.hpp"
#include "core/units.hpp"
#include "energy/power_device.hpp"

namespace chase {

inline constexpr const char* kLimitRecordsVariable = "CHASE_LIMIT_RECORDS_DIR";

struct RecordedLimit {
  std::string device = {};       // "nvml:0" when it was written
  std::string hardware_id = {};  // the GPU's UUID
  Power original = {};
};

struct LimitRecord {
  std::filesystem::path file = {};
  ProcessIdentity owner = {};
  std::uint32_t uid = 0;
  std::int64_t since_unix = 0;
  std::vector<RecordedLimit> limits = {};
};

// Where this process writes its record.
std::filesystem::path limit_record_dir(const EnvironmentLookup& env);
// Where records are looked for: the override alone, else /run/chase/limits and this user's.
std::vector<std::filesystem::path> limit_record_dirs(const EnvironmentLookup& env);

// Every readable record in `dirs` (a file that is not one is skipped: it may be mid-write).
std::vector<LimitRecord> read_limit_records(const std::vector<std::filesystem::path>& dirs);

struct AbandonedLimits {
  std::vector<std::string> restored;      // one line per GPU put back
  std::vector<std::string> left_lowered;  // one loud line per GPU that could not be
  std::vector<std::string> lowered_ids;   // their hardware ids: not to be controlled
};

// Restores, on `devices` (matched by hardware_id()), the limits of every record whose process
// is not running, and removes each record whose GPUs are all back (or no longer here). Never
// throws for a device: what fails is in left_lowered.
AbandonedLimits recover_abandoned_limits(const std::vector<std::filesystem::path>& dirs,
                                         const std::vector<std::shared_ptr<PowerDevice>>& devices);

// This process's record, written on construction and removed on destruction. Throws
// PermissionError naming the pid, user and since when if a running process's record holds one of
// `devices` (two chase runs on one GPU would take each other's limits as the original), and
// Error when the record cannot be written (the limits would not be crash-safe).
class LimitRecordFile {
 public:
  // `dir`: where it goes; `look_in`: where other processes' records are (limit_record_dirs).
  LimitRecordFile(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& look_in,
                  const std::vector<PowerDevice*>& devices);
  ~LimitRecordFile();
  LimitRecordFile(const LimitRecordFile&) = delete;
  LimitRecordFile& operator=(const LimitRecordFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace chase

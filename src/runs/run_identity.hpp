#pragma once
// Who and where a run is: this host, this user, chase's own process (pid, its start time and the
// boot it belongs to, so that a reused pid or a reboot is not taken for a live recorder), and the
// job's context from the environment (Slurm, torchrun, CUDA_VISIBLE_DEVICES).

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/environment.hpp"
#include "store/run_records.hpp"

namespace chase {

// The chase version recorded with every run (the CMake project version).
const char* chase_version();

// The environment variables kept with a run when set: Slurm's SLURM_JOB_ID, SLURM_PROCID,
// SLURM_NODEID, SLURM_JOB_NAME; torchrun's RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE,
// MASTER_ADDR; CUDA_VISIBLE_DEVICES.
const std::vector<std::string>& job_context_variables();
std::map<std::string, std::string> job_context(const EnvironmentLookup& environment);

// A process's identity as the run store keeps it.
struct ProcessIdentity {
  std::int64_t pid = 0;
  std::int64_t start_ticks = 0;  // /proc/PID/stat field 22: clock ticks after boot
  std::string boot_id;           // /proc/sys/kernel/random/boot_id
};

// This process, read from `proc_root`. A field that cannot be read stays 0 / "".
ProcessIdentity this_process(const std::filesystem::path& proc_root = "/proc");
// `pid`'s start time, nullopt when there is no such process.
std::optional<std::int64_t> process_start_ticks(std::int64_t pid, const std::filesystem::path& proc_root = "/proc");

// Alive when the recorder's boot is this boot and its pid runs with the same start time.
bool recorder_alive(const RunHeader& header, const std::filesystem::path& proc_root = "/proc");

// A header for a run starting now: host, user, version, this process, the job's context.
RunHeader run_header(std::string kind, std::vector<std::string> command, UtcTime started_at,
                     std::optional<std::string> intensity_source, const EnvironmentLookup& environment);

}  // namespace chase

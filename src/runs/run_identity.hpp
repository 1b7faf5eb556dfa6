#pragma once
// Who and where a run is: this host, this user, chase's own process (pid, its start time and the
// boot it belongs to, so that a reused pid or a reboot is not taken for a live recorder), and the
// job's context from the environment (Slurm, torchrun, CUDA_VISIBLE_DEVICES).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/environment.hpp"
#include "core/process_identity.hpp"
#include "store/run_records.hpp"

namespace chase {

// The chase version recorded with every run (the CMake project version).
const char* chase_version();

// The environment variables kept with a run when set: Slurm's SLURM_JOB_ID, SLURM_PROCID,
// SLURM_NODEID, SLURM_JOB_NAME; torchrun's RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE,
// MASTER_ADDR; CUDA_VISIBLE_DEVICES.
const std::vector<std::string>& job_context_variables();
std::map<std::string, std::string> job_context(const EnvironmentLookup& environment);

// A header for a run starting now: host, user, version, this process, the job's context.
RunHeader run_header(std::string kind, std::vector<std::string> command, UtcTime started_at,
                     std::optional<std::string> intensity_source, const EnvironmentLookup& environment);

}  // namespace chase

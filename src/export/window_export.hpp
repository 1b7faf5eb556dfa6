#pragma once
// JSON of a metered window (`chase measure --json`, and the metering part of `chase run
// --json`): time, energy per device, average power and, when priced, CO2e on the intensity
// source's own grid; and of the command that was metered.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/child_process.hpp"
#include "energy/device_discovery.hpp"
#include "energy/device_metering.hpp"
#include "energy/metered_command.hpp"
#include "energy/monitor.hpp"

namespace chase {

// start, end, time_s, energy_j, avg_power_w, estimated, devices[{id, name, backend, estimated,
// energy_j, avg_power_w, carbon_g (when priced)}] and, when `priced_by` names the source and
// the window has carbon: carbon_g, intensity_g_per_kwh (energy-weighted, null without a step),
// intensity_source, intensity_fallback, energy_without_intensity_j,
// intensity_segments[{from, until, intensity_g_per_kwh, source, fallback, energy_j, carbon_g}].
nlohmann::json window_json(const WindowResult& w, const std::optional<std::string>& priced_by);

// The command a report is about, and how it ended.
struct CommandOutcome {
  std::vector<std::string> command;  // argv
  int exit_code = 0;                 // as a shell reports it
  std::vector<std::string> signals_forwarded;  // e.g. "SIGTERM"
  Descendants descendants{};         // what it left running when it exited
  std::optional<Duration> command_time{};  // until the command's own exit

  static CommandOutcome of(const std::vector<std::string>& argv, const MeteredCommandResult& r) {
    return {argv, r.child.exit_code, r.child.forwarded, r.child.descendants, r.command_time};
  }
};

// Fields command, exit_code, signals_forwarded, command_time_s (null when unknown),
// descendants_at_exit (processes of the command still running when it exited) and
// descendants_waited (whether the window went on until they ended), added to `report`.
void add_command_json(nlohmann::json& report, const CommandOutcome& outcome);

struct SamplerStats {
  double interval_ms = 0;
  std::size_t samples = 0;
  std::size_t errors = 0;
};

// sampler{interval_ms, samples, errors}: errors are failed reads and readings dropped as not
// physically possible.
nlohmann::json sampler_json(const SamplerStats& sampler);

// window_json plus the command's fields, sampler{interval_ms, samples, errors},
// unavailable[{backend, state, detail}] (the backends that were wanted but found nothing) and
// metering (export/devices_export.hpp: every device, metered how or not metered why).
nlohmann::json measure_json(const WindowResult& w, const std::optional<std::string>& priced_by,
                            const CommandOutcome& outcome, const SamplerStats& sampler,
                            const std::vector<BackendReport>& backends, const std::vector<DeviceEntry>& metering);

}  // namespace chase

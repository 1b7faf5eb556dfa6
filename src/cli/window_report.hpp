#pragma once
// How a metered command and its window (energy per device, CO2e on the intensity source's
// grid) are shown to people, by `chase measure` and `chase run` alike (their JSON is
// export/window_export.hpp).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "energy/device_metering.hpp"
#include "energy/metered_command.hpp"

namespace chase::cli {

// The command's exit status becomes chase's. When the command could not start, also prints
// the one-line error a shell would (its status is 127 or 126) and returns false.
bool take_exit_status(const MeteredCommandResult& r, CommandStatus& status);

// "command: ...", "exit code: ..." (with the signals forwarded), "time: ..." and, when the
// command left processes running, a "left running: ..." line.
void print_command(const std::vector<std::string>& argv, const MeteredCommandResult& r);

// A warning on stderr when part of the window's energy fell outside the intensity source.
void warn_if_unpriced(const WindowResult& w);

// Warnings on stderr for what went wrong while sampling: failed reads (one line) and, once per
// device, readings dropped as not physically possible.
void warn_about_sampling(const SamplingCounts& sampling);

// The device table, the estimated-device notes and the intensity line.
// A warning on stderr when the command left processes running that were not waited for (their
// energy from then on is not counted; `after` says what else happened then, e.g. for run).
void warn_if_left_running(const MeteredCommandResult& r, const std::string& after = "");

// The device table (each metered device with how it is metered), the estimate notes, a
// "not metered: ..." line per device that is not, and the intensity line.
void print_window(const WindowResult& w, const std::optional<std::string>& priced_by,
                  const std::vector<DeviceEntry>& metering);

}  // namespace chase::cli

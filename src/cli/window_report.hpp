#pragma once
// How a metered command and its window (energy per device, CO2e on the intensity source's
// grid) are shown to people, by `chase measure` and `chase run` alike (their JSON is
// export/window_export.hpp).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "energy/metered_command.hpp"

namespace chase::cli {

// The command's exit status becomes chase's. When the command could not start, also prints
// the one-line error a shell would (its status is 127 or 126) and returns false.
bool take_exit_status(const MeteredCommandResult& r, CommandStatus& status);

// "command: ...", "exit code: ..." (with the signals forwarded) and "time: ..." lines.
void print_command(const std::vector<std::string>& argv, const MeteredCommandResult& r);

// A warning on stderr when part of the window's energy fell outside the intensity source.
void warn_if_unpriced(const WindowResult& w);

// Warnings on stderr for what went wrong while sampling: failed reads (one line) and, once per
// device, readings dropped as not physically possible.
void warn_about_sampling(const SamplingCounts& sampling);

// The device table, the estimated-device notes and the intensity line.
void print_window(const WindowResult& w, const std::optional<std::string>& priced_by,
                  const std::vector<std::shared_ptr<PowerDevice>>& devices);

}  // namespace chase::cli

#pragma once
// How a metered window (energy per device, CO2e on the intensity source's grid) is shown to
// people, by `chase measure` and `chase run` alike (its JSON is export/window_export.hpp).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "energy/monitor.hpp"

namespace chase::cli {

// A warning on stderr when part of the window's energy fell outside the intensity source.
void warn_if_unpriced(const WindowResult& w);

// The device table, the estimated-device notes and the intensity line.
void print_window(const WindowResult& w, const std::optional<std::string>& priced_by,
                  const std::vector<std::shared_ptr<PowerDevice>>& devices);

}  // namespace chase::cli

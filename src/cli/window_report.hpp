#pragma once
// How a metered window (energy per device, CO2e on the intensity source's grid) is shown, by
// `chase measure` and `chase run` alike: a device table for people, JSON fields for machines.

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "energy/monitor.hpp"

namespace chase::cli {

// The energy-weighted intensity the window met (carbon / energy); for a window too short to
// register energy, the time-weighted intensity of the steps it spanned.
std::optional<CarbonIntensity> effective_intensity(const WindowResult& w);

// time_s, energy_j, avg_power_w, estimated, devices[] and, when `priced_by` is set, carbon_g,
// intensity_g_per_kwh, intensity_source, intensity_fallback, energy_without_intensity_j,
// intensity_segments[].
// A warning on stderr when part of the window's energy fell outside the intensity source.
void warn_if_unpriced(const WindowResult& w);

nlohmann::json window_json(const WindowResult& w, const std::optional<std::string>& priced_by);

// The device table, the estimated-device notes and the intensity line.
void print_window(const WindowResult& w, const std::optional<std::string>& priced_by,
                  const std::vector<std::shared_ptr<PowerDevice>>& devices);

}  // namespace chase::cli

#pragma once
// JSON of grid intensity readings (`chase intensity --json`): one reading at a time, or every
// step of an interval with its time-weighted mean; each names its source, whether it is a
// fallback and how stale it is.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "carbon/intensity_range.hpp"
#include "carbon/intensity_source.hpp"

namespace chase {

// {from, until, intensity_g_per_kwh, source, fallback, stale_s}. stale_s: the age of the data in
// seconds, now minus the end of the interval the value covers (0 while it is current, and for a
// trace); null for a static average, which has no age (IntensityReading::stale).
nlohmann::json reading_json(const IntensityReading& reading);

// [{from, to, missing_s}]: the time each gap lacks beyond one expected step.
nlohmann::json gaps_json(const std::vector<TraceGap>& gaps);

// reading_json plus at, requested_source (the source asked), fallback_reason (null without a
// failure) and the trace's gaps.
nlohmann::json reading_at_json(UtcTime at, const IntensityReading& reading, const std::string& requested_source,
                               const std::optional<std::string>& fallback_reason, const std::vector<TraceGap>& gaps);

// {source, from, to, mean_intensity_g_per_kwh, steps[reading_json], gaps, fallback_reason}.
nlohmann::json range_json(const IntensityRange& range, const std::optional<std::string>& fallback_reason);

}  // namespace chase

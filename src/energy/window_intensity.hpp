#pragma once
// The one intensity that stands for a metered window, for reports.

#include <optional>

#include "energy/monitor.hpp"

namespace chase {

// The energy-weighted intensity the window met (carbon / priced energy); for a window too
// short to register energy, the time-weighted intensity of the steps it spanned; nothing
// without a step.
std::optional<CarbonIntensity> effective_intensity(const WindowResult& w);

}  // namespace chase

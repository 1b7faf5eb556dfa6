#pragma once
// The range of carbon intensities chase accepts from any input (a trace, a flag, a provider).
//
// The dirtiest electricity there is comes from lignite and hard-coal plants: about
// 1,000–1,200 gCO2/kWh at the stack, 740–910 gCO2e/kWh over the life cycle for coal
// (IPCC AR5 WGIII, Annex III, Table A.III.2). No grid's average, and no marginal emission rate
// (MOER), exceeds the plant it comes from, so a value far above that is a unit slip (g/MWh is
// 1,000x g/kWh) or a corrupt file, and the arithmetic of a trace of 1e300s would overflow.
// 5,000 gCO2e/kWh leaves four times the dirtiest plant as margin.

#include <cmath>

namespace chase {

inline constexpr double kMaxPlausibleIntensityGPerKwh = 5000;

// A finite intensity within [0, kMaxPlausibleIntensityGPerKwh].
inline bool plausible_intensity(double g_per_kwh) {
  return std::isfinite(g_per_kwh) && g_per_kwh >= 0 && g_per_kwh <= kMaxPlausibleIntensityGPerKwh;
}

}  // namespace chase

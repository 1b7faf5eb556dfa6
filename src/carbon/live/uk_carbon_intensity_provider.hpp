#pragma once
// National Grid ESO's Carbon Intensity API for Great Britain (no key), as documented at
// https://carbon-intensity.github.io/api-definitions/ :
//   GET /intensity                     -> {data: [{from, to, intensity: {forecast, actual, index}}]}
//   GET /intensity/{from}/{to}         -> the same, one row per half hour
//   GET /intensity/{from}/fw24h        -> the next 24 h (forecast only)
// Times look like "2018-01-20T12:00Z"; values are gCO2/kWh. `actual` is null for a half hour not
// yet closed: the forecast value stands in (the published estimate for that interval).

#include "carbon/live/provider_settings.hpp"

namespace chase {

std::unique_ptr<IntensityProvider> make_uk_carbon_intensity_provider(const ProviderSettings& settings);
ProviderEntry uk_carbon_intensity_provider_entry();

}  // namespace chase

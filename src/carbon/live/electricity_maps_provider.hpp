#pragma once
// Electricity Maps API v3, carbon intensity (gCO2eq/kWh, lifecycle by default):
//   GET /v3/carbon-intensity/latest?zone=Z      -> {zone, carbonIntensity, datetime, updatedAt,
//                                                   emissionFactorType, isEstimated, ...}
//   GET /v3/carbon-intensity/past-range?zone=Z&start=..&end=..  -> {zone, data: [ ...same... ]}
//   GET /v3/carbon-intensity/forecast?zone=Z    -> {zone, forecast: [{carbonIntensity, datetime}],
//                                                   updatedAt}
// with the key in an `auth-token` header (format as documented at
// https://static.electricitymaps.com/api/docs/index.html, API v3). `datetime` starts the value's
// interval; its length is `temporalGranularity` when given ("5_minutes", "15_minutes",
// "hourly", "daily"), else one hour. A `unit` field, when present, must be gCO2eq/kWh.

#include "carbon/live/provider_settings.hpp"

namespace chase {

std::unique_ptr<IntensityProvider> make_electricity_maps_provider(const ProviderSettings& settings);
ProviderEntry electricity_maps_provider_entry();

}  // namespace chase

#pragma once
// WattTime API v3, marginal operating emissions rate (MOER, signal_type=co2_moer), as documented
// at https://docs.watttime.org (v3):
//   GET /login with HTTP basic auth (username, password) -> {token} (valid 30 minutes)
//   GET /v3/forecast?region=R&signal_type=co2_moer[&horizon_hours=0]
//   GET /v3/historical?region=R&signal_type=co2_moer&start=..&end=..
//       -> {data: [{point_time, value}], meta: {region, signal_type, units, data_point_period_seconds}}
// with `Authorization: Bearer <token>`. MOER comes in lbs_co2_per_mwh (1 lb/MWh = 0.45359237
// g/kWh); any other unit (e.g. the signal-index's "percentile") is refused, since chase needs
// grams. The current value is the first point of a zero-horizon forecast. A token is reused until
// it is 25 minutes old, and renewed once when a data request answers 401.
// Credentials: WATTTIME_USER and WATTTIME_PASSWORD, or a key file holding "user:password".

#include "carbon/live/provider_settings.hpp"

namespace chase {

std::unique_ptr<IntensityProvider> make_watttime_provider(const ProviderSettings& settings);
ProviderEntry watttime_provider_entry();

}  // namespace chase

#pragma once
// The Prometheus text exposition format (version 0.0.4) of a metrics snapshot: base units in
// the names, `_total` for counters, one HELP and TYPE line per family, label values escaped
// (backslash, double quote, newline). Families:
//   chase_device_energy_joules_total{device,name,backend,estimated}   counter (since chase started metering)
//   chase_device_power_watts{device,name,backend,estimated}           gauge (last sampling interval)
//   chase_device_carbon_grams_total{device,name,backend,estimated}    counter (with an intensity source)
//   chase_carbon_grams_total                                          counter (all devices)
//   chase_gpu_power_limit_watts{device,name}                          gauge
//   chase_grid_intensity_grams_per_kilowatt_hour{source,fallback}     gauge
//   chase_grid_intensity_age_seconds{source}                          gauge (when the source knows it)
//   chase_samples_total                                               counter

#include <string>

#include "serve/metrics_state.hpp"

namespace chase {

std::string prometheus_exposition(const MetricsSnapshot& snapshot);

// A label value with \, " and newline escaped as the format requires.
std::string escape_label_value(const std::string& value);

}  // namespace chase

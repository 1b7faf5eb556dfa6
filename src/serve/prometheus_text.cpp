#include "serve/prometheus_text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace chase {
namespace {

std::string device_labels(const DeviceMetrics& d) {
  return fmt::format("device=\"{}\",name=\"{}\",backend=\"{}\",estimated=\"{}\"", escape_label_value(d.id),
                     escape_label_value(d.name), escape_label_value(d.backend), d.estimated ? "true" : "false");
}

// Values as Go's strconv would read them back exactly; a non-finite value is never served.
std::string value(double v) { return fmt::format("{}", v); }

void family(std::string& out, const char* name, const char* type, const char* help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

std::string escape_label_value(const std::string& raw) {
  std::string out;
  for (char c : raw) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string prometheus_exposition(const MetricsSnapshot& s) {
  std::string out;
  family(out, "chase_device_energy_joules_total", "counter", "Energy drawn by the device since chase began metering it.");
  for (const DeviceMetrics& d : s.devices) {
    if (std::isfinite(d.energy.joules())) {
      out += fmt::format("chase_device_energy_joules_total{{{}}} {}\n", device_labels(d), value(d.energy.joules()));
    }
  }
  family(out, "chase_device_power_watts", "gauge", "Average power of the device over the last sampling interval.");
  for (const DeviceMetrics& d : s.devices) {
    if (d.power && std::isfinite(d.power->watts())) {
      out += fmt::format("chase_device_power_watts{{{}}} {}\n", device_labels(d), value(d.power->watts()));
    }
  }
  if (s.priced) {
    family(out, "chase_device_carbon_grams_total", "counter",
           "CO2e of the device's energy priced at the grid intensity of each step (gross, location-based).");
    double total = 0;
    for (const DeviceMetrics& d : s.devices) {
      if (!d.carbon || !std::isfinite(d.carbon->grams())) continue;
      total += d.carbon->grams();
      out += fmt::format("chase_device_carbon_grams_total{{{}}} {}\n", device_labels(d), value(d.carbon->grams()));
    }
    family(out, "chase_carbon_grams_total", "counter", "CO2e of every metered device's energy.");
    out += fmt::format("chase_carbon_grams_total {}\n", value(total));
  }
  bool any_limit = false;
  for (const DeviceMetrics& d : s.devices) any_limit = any_limit || d.power_limit.has_value();
  if (any_limit) {
    family(out, "chase_gpu_power_limit_watts", "gauge", "The GPU's power limit now.");
    for (const DeviceMetrics& d : s.devices) {
      if (!d.power_limit) continue;
      out += fmt::format("chase_gpu_power_limit_watts{{device=\"{}\",name=\"{}\"}} {}\n", escape_label_value(d.id),
                         escape_label_value(d.name), value(d.power_limit->watts()));
    }
  }
  if (s.intensity) {
    family(out, "chase_grid_intensity_grams_per_kilowatt_hour", "gauge",
           "The grid's carbon intensity the energy is priced at now, gCO2e/kWh.");
    out += fmt::format("chase_grid_intensity_grams_per_kilowatt_hour{{source=\"{}\",fallback=\"{}\"}} {}\n",
                       escape_label_value(s.intensity->source), s.intensity->fallback ? "true" : "false",
                       value(s.intensity->intensity.g_per_kwh()));
    if (s.intensity_age) {
      family(out, "chase_grid_intensity_age_seconds", "gauge", "How old the intensity's data is (now minus its interval's end).");
      out += fmt::format("chase_grid_intensity_age_seconds{{source=\"{}\"}} {}\n", escape_label_value(s.intensity->source),
                         value(s.intensity_age->seconds()));
    }
  }
  family(out, "chase_samples_total", "counter", "Readings of the devices taken by the sampler.");
  out += fmt::format("chase_samples_total {}\n", s.samples);
  return out;
}

}  // namespace chase

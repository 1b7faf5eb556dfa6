#pragma once
// A training job as a caller describes it to the Patterson estimator — numbers given directly or
// by preset (processor, datacenter, region) — resolved into the estimator's inputs. Shared by
// `chase estimate`/`chase compare` (flags) and the Python module (keyword arguments), so both
// accept and refuse the same things with the same messages.

#include <optional>
#include <string>

#include "account/named_job.hpp"
#include "core/units.hpp"

namespace chase {

struct JobRequest {
  std::optional<Duration> training_time;
  std::optional<double> processors;
  std::optional<Power> power_per_processor;  // or `processor`
  std::string processor;                     // a processor preset key
  std::optional<double> pue;                 // or `datacenter`
  std::string datacenter;                    // a datacenter preset key
  std::optional<CarbonIntensity> intensity;  // gross; or `region`
  std::string region;                        // carbon/region_catalog.hpp: its gross, net and CFE
  std::optional<int> year;                   // the region's year; none: its default
  std::optional<double> cfe_fraction;        // overrides the region's carbon-free share
};

// How the caller names each input in errors: the CLI's flags ("--hours"), Python's keywords.
struct JobFieldNames {
  std::string hours = "hours";
  std::string processors = "processors";
  std::string power = "power_w";
  std::string processor = "processor";
  std::string pue = "pue";
  std::string datacenter = "datacenter";
  std::string intensity = "intensity_g_per_kwh";
  std::string region = "region";
  std::string product = "hours × processors × power_w × pue × intensity_g_per_kwh";
};

// Throws InputError: "missing <name>[ (<alternative>)]" for the first input missing, "<name>:
// <reason>" for an unknown preset or region, and for a product too large to be a number.
NamedJob resolve_job(const JobRequest& request, const JobFieldNames& names, const std::string& alternative = "");

}  // namespace chase

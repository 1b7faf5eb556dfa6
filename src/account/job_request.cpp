#include "account/job_request.hpp"

#include <fmt/format.h>

#include "account/hardware_presets.hpp"
#include "carbon/region_catalog.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

// Runs fn; its InputError comes back prefixed with the input's name, so the caller's own word for
// the input (a flag, a keyword) leads the message.
template <class Fn>
decltype(auto) named(const std::string& name, Fn&& fn) {
  try {
    return fn();
  } catch (const InputError& e) {
    throw InputError(name + ": " + e.what());
  }
}

}  // namespace

NamedJob resolve_job(const JobRequest& q, const JobFieldNames& names, const std::string& alternative) {
  auto missing = [&](const std::string& what) {
    return InputError(fmt::format("missing {}{}", what, alternative.empty() ? "" : " (" + alternative + ")"));
  };
  if (!q.training_time) throw missing(names.hours);
  if (!q.processors) throw missing(names.processors);
  if (!q.power_per_processor && q.processor.empty()) throw missing(names.power + " or " + names.processor);
  if (!q.pue && q.datacenter.empty()) throw missing(names.pue + " or " + names.datacenter);
  if (!q.intensity && q.region.empty()) throw missing(names.intensity + " or " + names.region);

  NamedJob r;
  r.job.training_time = *q.training_time;
  r.job.processors = *q.processors;
  if (!q.processor.empty()) {
    const auto& p = named(names.processor, [&]() -> const ProcessorPreset& { return bundled_processors().get(q.processor); });
    r.processor = p.key;
    r.job.avg_power_per_processor = p.estimation_power();
  } else {
    r.job.avg_power_per_processor = *q.power_per_processor;
  }
  if (!q.datacenter.empty()) {
    const auto& d = named(names.datacenter, [&]() -> const DatacenterPreset& { return bundled_datacenters().get(q.datacenter); });
    r.datacenter = d.key;
    r.job.pue = d.pue;
  } else {
    r.job.pue = *q.pue;
  }
  if (!q.region.empty()) {
    const RegionPreset region = named(names.region, [&] { return resolve_region(q.region, q.year); });
    r.region = region.key;
    r.region_basis = describe_region(region);
    // The region's carbon-free share is the CFE unless one is given.
    r.grid = GridFactors{region.gross, region.net, region.cfe_fraction};
  } else {
    r.grid.gross = *q.intensity;
  }
  if (q.cfe_fraction) r.grid.cfe_fraction = *q.cfe_fraction;
  // Each out-of-range value names its field (the CLI's flag checks catch these first).
  validate(r.job);
  validate(r.grid);
  // Refused here, naming the inputs, rather than printed as "inf MWh".
  named(names.product, [&] { estimate_footprint(r.job, r.grid); });
  return r;
}

}  // namespace chase

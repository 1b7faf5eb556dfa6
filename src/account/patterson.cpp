#include "account/patterson.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace chase {
namespace {

void require(bool ok, const char* field, double value, const char* rule) {
  if (!ok || !std::isfinite(value)) throw InputError(fmt::format("{} = {}: must be {}", field, value, rule));
}

}  // namespace

void validate(const TrainingJob& job) {
  require(job.training_time.hours() > 0, "training time (hours)", job.training_time.hours(), "positive");
  require(job.processors > 0, "processors", job.processors, "positive");
  require(job.avg_power_per_processor.watts() > 0, "average power per processor (W)",
          job.avg_power_per_processor.watts(), "positive");
  require(job.pue >= 1.0, "PUE", job.pue, "at least 1.0");
}

void validate(const GridFactors& grid) {
  require(grid.gross.g_per_kwh() >= 0, "intensity (gCO2e/kWh)", grid.gross.g_per_kwh(), "non-negative");
  if (grid.net) require(grid.net->g_per_kwh() >= 0, "net intensity (gCO2e/kWh)", grid.net->g_per_kwh(), "non-negative");
  if (grid.cfe_fraction) {
    require(*grid.cfe_fraction >= 0 && *grid.cfe_fraction <= 1, "CFE", *grid.cfe_fraction, "within [0, 1]");
  }
}

Energy training_energy(const TrainingJob& job) {
  validate(job);
  const Energy energy = job.avg_power_per_processor * job.training_time * job.processors * job.pue;
  if (!std::isfinite(energy.joules())) {
    throw InputError(fmt::format("hours × processors × power per processor × PUE overflows ({:.6g} h × {:.6g} × {:.6g} W × {:.6g})",
                                 job.training_time.hours(), job.processors, job.avg_power_per_processor.watts(),
                                 job.pue));
  }
  return energy;
}

FootprintEstimate estimate_footprint(const TrainingJob& job, const GridFactors& grid) {
  validate(grid);
  FootprintEstimate out;
  out.energy = training_energy(job);
  out.co2e_gross = out.energy * grid.gross;
  if (grid.net) out.co2e_net = out.energy * *grid.net;
  if (grid.cfe_fraction) out.co2e_24x7_cfe = out.co2e_gross * (1.0 - *grid.cfe_fraction);
  out.headline_is_net = out.co2e_net.has_value();
  out.co2e = out.co2e_net.value_or(out.co2e_gross);
  if (!std::isfinite(out.co2e_gross.grams())) {
    throw InputError(fmt::format("energy × grid intensity overflows ({:.6g} kWh × {:.6g} gCO2e/kWh)", out.energy.kwh(),
                                 grid.gross.g_per_kwh()));
  }
  return out;
}

}  // namespace chase

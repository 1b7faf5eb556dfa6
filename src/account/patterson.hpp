#pragma once
// The training-footprint formula of Patterson et al. 2021 (Section 2.5):
//   kWh   = hours to train x processors x average power per processor (W) x PUE / 1000
//   tCO2e = kWh x kgCO2e/kWh / 1000
// Gross uses the grid's intensity; net uses the datacenter's figure after its 24/7 clean-energy
// purchases (a separate published number, not gross x (1 - CFE)); the 24/7-CFE view is
// energy x gross x (1 - CFE).

#include <optional>

#include "core/units.hpp"

namespace chase {

struct TrainingJob {
  Duration training_time;
  double processors = 0;
  Power avg_power_per_processor;  // measured system power per processor, incl. host share
  double pue = 1.0;
};

struct GridFactors {
  CarbonIntensity gross;
  std::optional<CarbonIntensity> net;
  std::optional<double> cfe_fraction;  // [0, 1]
};

struct FootprintEstimate {
  Energy energy;                       // facility energy (IT energy x PUE)
  Mass co2e;                           // the headline: net where a net factor is given, else gross
  Mass co2e_gross;
  std::optional<Mass> co2e_net;
  std::optional<Mass> co2e_24x7_cfe;   // energy x gross x (1 - CFE)
  bool headline_is_net = false;
};

// Throws InputError naming the field when a value is out of range (non-positive time,
// processors or power; PUE < 1; negative intensity; CFE outside [0, 1]).
void validate(const TrainingJob& job);
void validate(const GridFactors& grid);

// Throw InputError for invalid inputs (validate) and for inputs whose product is too large to
// be a number (1e300 h × 1e300 processors): a footprint is refused, never printed as "inf".
Energy training_energy(const TrainingJob& job);
FootprintEstimate estimate_footprint(const TrainingJob& job, const GridFactors& grid);

}  // namespace chase

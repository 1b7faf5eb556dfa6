#pragma once
// Totals of a run that did not end (chase was killed): what its recorded samples and priced steps
// say. The energy is each device's last cumulative sample; the carbon splits the energy between
// two consecutive samples of a device across the steps they span, in proportion to time, and
// prices each part at its step (the Monitor's rule, on the recorded resolution). Energy in time
// no step covers is not priced.

#include <optional>
#include <vector>

#include "store/run_records.hpp"

namespace chase {

struct RecordedTotals {
  Energy energy;                  // all devices
  std::vector<Energy> device_energy;   // by device index (0 for a device without samples)
  std::optional<Mass> carbon;     // none without steps
  std::vector<Mass> device_carbon;     // by device index, when priced
  std::optional<UtcTime> last_sample;
};

// `samples` in any order; `device_count` sizes the per-device vectors (larger indices are ignored).
RecordedTotals totals_from_samples(const std::vector<PowerSample>& samples, const std::vector<PricedStep>& steps,
                                   int device_count);

}  // namespace chase

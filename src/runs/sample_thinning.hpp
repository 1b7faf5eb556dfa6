#pragma once
// How many power samples a run keeps: the Sampler reads every 100 ms, which is too much to keep
// for a run of days. The rule: a device's sample is kept when at least `period` has passed since
// its last kept one, where the period starts at 1 s and doubles after every 3,600 kept samples
// (1 s for the first hour, 2 s for the next two, 4 s for the next four, ...). A run of h hours
// keeps about 3,600 × log2(h + 1) samples per device: 1 h → 3,600, 1 day → ~16,900, 1 year → ~47,000.
// The last sample of a run is always kept (RunRecorder::finish), so the totals match the end.
// Energy is cumulative in every sample, so thinning loses no energy, only resolution.

#include <cstddef>
#include <optional>

#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

struct SampleThinningRule {
  Duration first_period = Duration::seconds(1);
  std::size_t samples_per_doubling = 3600;
};

// One device's thinning state.
class SampleThinning {
 public:
  explicit SampleThinning(SampleThinningRule rule = {}) : rule_(rule) {}
  // True when a sample at `at` is to be kept; counts it as kept.
  bool keep(UtcTime at);
  // The period in force now.
  Duration period() const;
  std::size_t kept() const { return kept_; }

 private:
  SampleThinningRule rule_;
  std::size_t kept_ = 0;
  std::optional<UtcTime> last_;
};

}  // namespace chase

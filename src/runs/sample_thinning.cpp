#include "runs/sample_thinning.hpp"

#include <algorithm>
#include <cmath>

namespace chase {

Duration SampleThinning::period() const {
  const std::size_t doublings = rule_.samples_per_doubling == 0 ? 0 : kept_ / rule_.samples_per_doubling;
  // 2^62 s is far past any run; the cap keeps the shift defined.
  return rule_.first_period * std::ldexp(1.0, static_cast<int>(std::min<std::size_t>(doublings, 62)));
}

bool SampleThinning::keep(UtcTime at) {
  if (last_ && (at - *last_) < period()) return false;
  last_ = at;
  ++kept_;
  return true;
}

}  // namespace chase

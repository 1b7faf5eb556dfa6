#include "trace_feed.hpp"

namespace chase {

IntensityStep TraceFeed::step_at(UtcTime t) {
  const std::size_t i = trace_->index_at(t);
  const auto& s = trace_->samples()[i];
  return IntensityStep{s.intensity, s.time, s.time + trace_->step(i), "trace:" + trace_->source(), false};
}

}  // namespace chase

#pragma once
// A recorded trace served as a live intensity feed (each sample holds until the next). A small
// adapter for the controller and its tests; the carbon layer's trace source does the same with
// gaps and failover.

#include "carbon/intensity_trace.hpp"
#include "core/intensity_feed.hpp"

namespace chase {

class TraceFeed final : public IntensityFeed {
 public:
  // The trace must outlive the feed.
  explicit TraceFeed(const IntensityTrace& trace) : trace_(&trace) {}
  // Throws InputError outside the trace.
  IntensityStep step_at(UtcTime t) override;

 private:
  const IntensityTrace* trace_;
};

}  // namespace chase

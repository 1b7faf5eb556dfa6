#pragma once
// Test-only: a recorded trace served as a live intensity feed (each sample holds until the
// next), with no source machinery around it. Chase itself serves traces through the carbon
// layer's TraceSource (gaps, failover).

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

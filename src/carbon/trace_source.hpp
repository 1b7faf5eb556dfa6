#pragma once
// Replays a recorded trace: the value in effect at t, on the trace's own grid.

#include "carbon/intensity_source.hpp"
#include "carbon/intensity_trace.hpp"

namespace chase {

class TraceSource final : public IntensitySource {
 public:
  explicit TraceSource(IntensityTrace trace);

  std::string name() const override { return "trace:" + trace_.source(); }
  // Throws InputError for t outside the trace. A step that runs into a gap of the trace ends
  // where the data resumes and carries fallback = true: its value was held, not recorded.
  IntensityReading reading_at(UtcTime t) override;
  UtcTime now() const override { return trace_.samples().back().time; }

  const IntensityTrace& trace() const { return trace_; }

 private:
  IntensityTrace trace_;
  std::vector<TraceGap> gaps_;
};

}  // namespace chase

#pragma once
// ∫ intensity dt over any interval of a trace in O(log n), on the trace's own grid: the
// simulator integrates power × intensity this way for every frame of thousands of runs, and
// the oracle needs the mean of every frame up to the deadline.

#include <vector>

#include "carbon/intensity_trace.hpp"

namespace chase {

class IntensityIntegral {
 public:
  // The trace must outlive this object.
  explicit IntensityIntegral(const IntensityTrace& trace);
  // Only [from, to] (clipped to the trace), for one job: cheaper to build than the whole year.
  IntensityIntegral(const IntensityTrace& trace, UtcTime from, UtcTime to);

  const IntensityTrace& trace() const { return *trace_; }
  // ∫ intensity dt over [from_s, to_s] (epoch seconds) in g/kWh × s. Throws InputError when the
  // interval leaves the trace.
  double integral(double from_s, double to_s) const;
  // Mean intensity over [from, to), g/kWh.
  double mean(UtcTime from, UtcTime to) const;

 private:
  void build(std::size_t first, std::size_t last);
  double cumulative_at(double t_s) const;

  const IntensityTrace* trace_;
  std::size_t first_ = 0;           // the first sample covered
  std::vector<double> start_s_;     // epoch seconds of each sample covered
  std::vector<double> cumulative_;  // ∫ from the first sample covered to each sample covered
  double end_s_ = 0;                // end of the last sample covered
};

}  // namespace chase

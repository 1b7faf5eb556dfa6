#pragma once
// A recorded series of grid carbon intensity: samples at (possibly changing) resolution, each
// value holding from its timestamp until the next sample (a step function, the way grid
// operators publish interval averages). Gaps are kept and reported, never filled silently.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

struct IntensitySample {
  UtcTime time;
  CarbonIntensity intensity;
};

// A step noticeably longer than the resolution around it: missing data in the feed.
struct TraceGap {
  UtcTime from;      // last sample before the gap
  UtcTime to;        // first sample after it
  Duration expected_step;
};

class IntensityTrace {
 public:
  // Validates: at least one sample, strictly increasing times, finite non-negative values.
  IntensityTrace(std::string source, std::vector<IntensitySample> samples);

  // CSV with columns timestamp,intensity_g_per_kwh (others are ignored), as core/csv.hpp reads
  // files (encodings, line endings, separators, decimal marks). Time stamps by the rules of
  // core/time_stamp.hpp: ISO 8601 with Z or an offset, or epoch seconds or milliseconds (one unit
  // per column), 1970..2200; strictly increasing (a repeat or a step back is refused, naming both
  // lines). Intensities finite and >= 0. Errors: one line "source:line: ..." quoting the value.
  static IntensityTrace parse_csv(std::string_view text, std::string source);
  // A file path, or the name of a bundled trace ("gb-2020").
  static IntensityTrace load(std::string_view path_or_bundled_name);

  const std::string& source() const { return source_; }
  const std::vector<IntensitySample>& samples() const { return samples_; }
  std::size_t size() const { return samples_.size(); }

  UtcTime start() const { return samples_.front().time; }
  // One step past the last sample (the last value holds for one more step).
  UtcTime end() const;

  // Length of sample i's interval (the last sample takes the step before it).
  Duration step(std::size_t i) const;
  // The most common step (the trace's nominal resolution).
  Duration typical_step() const;
  std::vector<TraceGap> gaps() const;

  // Index of the sample whose interval holds t; throws InputError outside [start, end).
  std::size_t index_at(UtcTime t) const;
  CarbonIntensity at(UtcTime t) const { return samples_[index_at(t)].intensity; }
  bool covers(UtcTime t) const { return t >= start() && t < end(); }

  // Calls fn(from, to, intensity) for each constant piece of [from, to) on the trace's own grid.
  void for_each_segment(UtcTime from, UtcTime to,
                        const std::function<void(UtcTime, UtcTime, CarbonIntensity)>& fn) const;
  // Time-weighted mean over [from, to).
  CarbonIntensity mean(UtcTime from, UtcTime to) const;
  // Arithmetic mean of the samples.
  CarbonIntensity sample_mean() const;

  // Frames of fixed length from `from`, each the time-weighted mean of the trace over it;
  // stops at the last whole frame inside the trace.
  IntensityTrace resample(Duration frame, UtcTime from) const;
  IntensityTrace resample(Duration frame) const { return resample(frame, start()); }

 private:
  std::string source_;
  std::vector<IntensitySample> samples_;
};

}  // namespace chase

#pragma once
// A measured power-limit profile of one training job on one GPU: for each power limit, the
// time and GPU energy the same amount of work took (../shared/data/gpu-profiles, Zeus format
// `power_limit_w,time_s,energy_j`). Average power = energy / time; throughput ∝ 1 / time.
// Real profiles are single noisy measurements: rows need not be monotone, so consumers that
// want a sane trade-off use pareto_front() instead of assuming a smooth curve.

#include <string>
#include <string_view>
#include <vector>

#include "core/units.hpp"

namespace chase {

struct ProfilePoint {
  Power limit;
  Duration time;   // for the profile's unit of work
  Energy energy;   // for the profile's unit of work

  Power average_power() const { return energy / time; }
  // Work units per second at this limit (1 unit = the profiled amount of work).
  double throughput() const { return 1.0 / time.seconds(); }
};

class PowerProfile {
 public:
  // Validates: at least one point, distinct limits, positive time/energy/limit. Points are
  // kept sorted by limit, highest first.
  PowerProfile(std::string source, std::vector<ProfilePoint> points);

  // CSV with columns power_limit_w,time_s,energy_j (others are ignored), as core/csv.hpp reads
  // files (encodings, line endings, separators, decimal marks); errors "source:line: ...".
  static PowerProfile parse_csv(std::string_view text, std::string source);
  // A file path, or the name of a bundled profile ("a40-resnet50").
  static PowerProfile load(std::string_view path_or_bundled_name);
  // The same CSV format parse_csv() reads, highest limit first, full precision.
  std::string to_csv() const;

  const std::string& source() const { return source_; }
  const std::vector<ProfilePoint>& points() const { return points_; }

  // The highest limit: the `max` baseline everybody runs today.
  const ProfilePoint& max_point() const { return points_.front(); }
  Power min_limit() const { return points_.back().limit; }
  Power max_limit() const { return points_.front().limit; }
  // Every point's limit, highest first.
  std::vector<Power> limits() const;
  // The point with exactly this limit; throws InputError naming the supported limits.
  const ProfilePoint& at_limit(Power limit) const;
  // Points not dominated in (time, energy): no other point is both faster-or-equal and
  // cheaper-or-equal with one strictly better. Sorted by limit, highest first.
  std::vector<ProfilePoint> pareto_front() const;

 private:
  std::string source_;
  std::vector<ProfilePoint> points_;
};

}  // namespace chase

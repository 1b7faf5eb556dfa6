#include "control/speed_changes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace chase {

void SpeedChanges::check() const {
  if (slower_after && !(slower_after->seconds() >= 0 && std::isfinite(slower_after->seconds()))) {
    throw InputError(fmt::format("the job's slower phase must start at or after its start, not {} h", slower_after->hours()));
  }
  if (!(slower_by >= 0 && slower_by <= 10)) {
    throw InputError(fmt::format("the job's slowdown {} must be a fraction between 0 and 10 (0.10 = 10 % slower)", slower_by));
  }
  if (stall_every) {
    if (!(stall_every->seconds() > 0 && std::isfinite(stall_every->seconds()))) {
      throw InputError(fmt::format("stalls must come every positive time, not {} min", stall_every->minutes()));
    }
    if (!(stall_length.seconds() > 0 && stall_length < *stall_every)) {
      throw InputError(fmt::format("a stall of {} min must be positive and shorter than its period of {} min",
                                   stall_length.minutes(), stall_every->minutes()));
    }
    if (stall_power && !(stall_power->watts() >= 0 && std::isfinite(stall_power->watts()))) {
      throw InputError(fmt::format("a stall's power must be a finite number of watts, not {}", stall_power->watts()));
    }
  }
}

std::vector<SpeedChanges::Piece> SpeedChanges::pieces(double from_s, double until_s) const {
  std::vector<Piece> out;
  if (!(until_s > from_s)) return out;
  const double slower_s = slower_after ? slower_after->seconds() : std::numeric_limits<double>::infinity();
  const double working_speed_after = 1.0 / (1.0 + slower_by);
  double t = from_s;
  while (t < until_s) {
    double next = until_s;
    double speed = t >= slower_s ? working_speed_after : 1.0;
    if (t < slower_s) next = std::min(next, slower_s);
    if (stall_every) {
      const double period = stall_every->seconds();
      // Stall k (k ≥ 1) covers [k·period, k·period + length).
      const double k = std::floor(t / period);
      const double stall_from = k * period;
      const double stall_until = stall_from + stall_length.seconds();
      if (k >= 1 && t >= stall_from && t < stall_until) {
        speed = 0;
        next = std::min(next, stall_until);
      } else {
        next = std::min(next, (k + 1) * period);
      }
    }
    // Rounding can leave a boundary at t itself: always move on.
    if (!(next > t)) next = std::nextafter(t, until_s);
    out.push_back({t, next, speed});
    t = next;
  }
  return out;
}

double SpeedChanges::time_to_work(double from_s, double nominal_s) const {
  if (none()) return nominal_s;
  double left = nominal_s;
  double t = from_s;
  // Walk a day of the job's clock at a time (pieces() cuts it where anything changes).
  while (left > 0) {
    const double step = std::max(86'400.0, left * 2);
    for (const Piece& p : pieces(t, t + step)) {
      const double can = p.speed * (p.until_s - p.from_s);
      if (can >= left) return p.from_s + left / p.speed - from_s;
      left -= can;
    }
    t += step;
  }
  return t - from_s;
}

std::string SpeedChanges::describe() const {
  std::vector<std::string> parts;
  if (slower_after) parts.push_back(fmt::format("{:g} % slower after {:g} h", slower_by * 100, slower_after->hours()));
  if (stall_every) {
    parts.push_back(fmt::format("stalls of {:g} min every {:g} min at {}", stall_length.minutes(),
                                stall_every->minutes(),
                                stall_power ? fmt::format("{:g} W", stall_power->watts()) : std::string("the lowest profiled power")));
  }
  return parts.empty() ? "none" : fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace chase

#pragma once
// How a training job's speed changes during its run, independent of the power limit: what a
// real job does that its power profile does not say (an evaluation phase, a slower second
// dataset, data-loader stalls). The simulator's job runs with these changes under every policy,
// the `max` baseline included, so slowdown stays measured against the same job at the maximum
// limit; the offline oracle knows them in advance, an online policy only sees their effect.
//
// Two kinds, both on the job's own clock (seconds since its start):
//  - from `slower_after` on, every limit takes (1 + slower_by) × its profiled time per unit of
//    work at its profiled power (so its energy per unit grows by the same factor);
//  - every `stall_every`, a stall of `stall_length` in which the job does no work and the GPU
//    draws `stall_power` whatever its limit (the first stall starts at stall_every); without
//    one, the lowest average power of the job's profile (a GPU waiting for data draws little,
//    and the profile says nothing lower).
// A stall inside the slower phase is still a stall.

#include <optional>
#include <string>
#include <vector>

#include "core/units.hpp"

namespace chase {

struct SpeedChanges {
  std::optional<Duration> slower_after;  // none: never slower
  double slower_by = 0;                  // fraction of time per unit added: 0.10 = 10 % slower
  std::optional<Duration> stall_every;   // none: no stalls
  Duration stall_length;
  std::optional<Power> stall_power;

  // A piece of the job's clock over which its speed is constant.
  struct Piece {
    double from_s = 0;
    double until_s = 0;
    double speed = 1;  // work done per second ÷ the profiled rate; 0 in a stall
    bool stalled() const { return speed == 0; }
  };

  bool none() const { return !slower_after && !stall_every; }
  // Throws InputError for a negative or non-finite field, a stall as long as its period, or a
  // slower_by outside [0, 10].
  void check() const;
  // [from_s, until_s) on the job's clock, cut where the speed changes, in order.
  std::vector<Piece> pieces(double from_s, double until_s) const;
  // The seconds the job needs from `from_s` on to do `nominal_s` seconds of its unchanged work
  // (work at the profiled rate); nominal_s / 1 without changes.
  double time_to_work(double from_s, double nominal_s) const;
  // "10 % slower after 12 h; stalls of 10 min every 2 h at 60 W", or "none".
  std::string describe() const;
};

}  // namespace chase

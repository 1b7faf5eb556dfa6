#pragma once
// Energy readings that cannot be physically right, and the one rule that tells them apart,
// shared by every metered device: RAPL's energy_uj (RaplDevice), NVML's total-energy counter
// (NvmlDevice) and the power polls integrated where a GPU has no counter (PowerIntegrator).
//
// The rule. A device has a power ceiling (PowerCeiling: the most it can draw, with a margin).
//  - A reading outside [0, wrap range] is invalid outright.
//  - The energy between the baseline (the last accepted reading) and a new reading is the
//    increase, or, for a counter that wraps, a decrease taken as exactly one wrap; a counter
//    that never wraps (NVML's 64-bit mJ) has no such reading. It is accepted only if it fits
//    under the ceiling over the time elapsed (PowerPlausibility::energy_fits).
//  - Anything else is an implausible reading: an error sample, not added, and the baseline
//    stays; the reading becomes the suspect. A later reading decides what it was: plausible
//    from the old baseline, the suspect was a glitch; plausible from the suspect only and moved
//    on from it, the counter was reset (a driver reload, a reset of the package): the baseline
//    moves to the new value, what was counted from the suspect on is added, the energy between
//    the last reading before the reset and the reset is lost, and the reset is counted. The
//    suspect's value read again decides nothing (a glitch can sit in a register for a while; a
//    counter that restarted keeps counting) and is one more error sample.
//  - A value is judged at the time it was first read. The suspect's value read again is judged
//    from the baseline at the suspect's time, not at the new reading's: the counter already
//    showed it then. A counter stuck low after a decrease (2 J, 2 J, ... for minutes) would
//    otherwise pass as one wrap once the elapsed time made the wrap's energy fit under the
//    ceiling (about 262 s for Intel's 262 kJ range at 1000 W); a real wrap fits on the first
//    reading after it. The same holds for a value stuck high. And where a reading fits both as
//    a wrap from the baseline and as counting on from the suspect, the suspect wins: a counter
//    stuck low that moves on after minutes restarted there (5 J, not a 262 kJ wrap).
//  - A counter that stays at one value for kStallTime and kStallReadings readings after it
//    counted at least kBusyPower is stuck (a RAPL package or a GPU never draws 0 W): reported
//    once per stall as one error sample; the energy of the stall is not counted.
//  - A power poll is accepted if it is finite, not negative and under the ceiling.
// Example, a RAPL zone read every 0.5 s: 100 J, 150 J, 2 J (reset), 7 J → 50 J + 5 J = 55 J and
// one error sample; 100 J, 150 J, 9e9 J (above the range: a glitch), 160 J → 60 J; 100 J,
// 150 J, 200 kJ (in range, a glitch), 200 kJ, 160 J → 60 J and two error samples.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

// The most power a device can plausibly draw, and where that figure comes from (said in
// warnings), e.g. "3 x constraint_1_max_power_uw of 200 W".
struct PowerCeiling {
  Power power;
  std::string source;
};

// What a device dropped as not physically possible: each is an error sample of the
// measurement. Warned about once per device, with the first one described.
struct ImplausibleReadings {
  std::size_t count = 0;   // readings dropped (not added; the baseline did not move on them)
  std::size_t resets = 0;  // counter resets confirmed by the reading after; energy across each is lost
  std::string first;       // the first dropped reading, e.g. "energy_uj went from 150000000 to 2000000 in 0.5 s ..."

  void add(std::string what);
};

// The plausibility test itself: energy over a time, or a power poll, against the ceiling.
class PowerPlausibility {
 public:
  // Time added to every elapsed interval before comparing: a counter is read some time after
  // the clock (a preempted sampler thread), and counters update in steps (RAPL about every
  // 1 ms, NVML's counter and power every 20-100 ms), so two reads close together can hold more
  // than the ceiling times their distance. 100 ms is the sampler's default period; a bad
  // reading of the kinds seen (a reset, a garbage value) is off by hours of full power.
  static constexpr Duration kReadSlack = Duration::milliseconds(100);

  explicit PowerPlausibility(PowerCeiling ceiling);

  const PowerCeiling& ceiling() const { return ceiling_; }
  // `energy` is finite, not negative and at most ceiling x (elapsed + kReadSlack).
  bool energy_fits(Energy energy, Duration elapsed) const;
  // `power` is finite, not negative and at most the ceiling.
  bool power_fits(Power power) const;

 private:
  PowerCeiling ceiling_;
};

// How a hardware energy counter counts.
struct EnergyCounterSpec {
  // As its source calls it: "energy_uj", "nvmlDeviceGetTotalEnergyConsumption".
  std::string name;
  // One count: 1 µJ (RAPL), 1 mJ (NVML).
  Energy unit;
  // The count at which it restarts from 0 (RAPL's max_energy_range_uj); nullopt: it never wraps.
  std::optional<std::uint64_t> wrap_range;
  PowerCeiling ceiling;
};

// Accumulates a hardware counter's readings under the rule above. Not thread-safe: the device
// that owns it reads under its own lock.
class EnergyCounter {
 public:
  static constexpr Duration kStallTime = Duration::seconds(10);
  static constexpr std::size_t kStallReadings = 5;
  static constexpr Power kBusyPower = Power::watts(1);

  explicit EnergyCounter(EnergyCounterSpec spec);

  // One reading taken at `time`; returns energy() after it. The first valid reading is the
  // first baseline and the origin of energy().
  Energy read(UtcTime time, std::uint64_t count);
  // A reading that is not a count at all (a negative number): dropped as implausible.
  Energy reject(std::string what);

  // Energy accepted since the first valid reading (0 until then).
  Energy energy() const;
  const ImplausibleReadings& implausible() const { return implausible_; }
  const PowerCeiling& ceiling() const { return plausibility_.ceiling(); }
  const EnergyCounterSpec& spec() const { return spec_; }

 private:
  struct Reading {
    UtcTime time;
    std::uint64_t count = 0;
  };
  // Counts from `from` to `count`, or nullopt where the counter cannot get there (a decrease of a
  // counter that never wraps).
  std::optional<std::uint64_t> counts_between(std::uint64_t from, std::uint64_t count) const;
  bool plausible(const Reading& from, const Reading& to, std::uint64_t counts) const;
  std::string describe(const Reading& to, std::optional<std::uint64_t> counts) const;
  // Moves the baseline to an accepted reading `counts` on from it, and watches for a stall.
  void accept(const Reading& now, std::uint64_t counts);

  EnergyCounterSpec spec_;
  PowerPlausibility plausibility_;
  std::optional<Reading> baseline_;  // the last accepted reading
  std::optional<Reading> suspect_;   // the last implausible in-range reading, awaiting a verdict
  std::uint64_t total_ = 0;          // counts accepted since the first valid reading
  std::optional<Power> recent_power_;  // over the last accepted interval in which it counted
  std::optional<UtcTime> still_since_;  // the baseline's value was first read then (it has not moved since)
  std::size_t still_reads_ = 0;         // readings of that value since
  bool stall_reported_ = false;         // this stall is reported already
  ImplausibleReadings implausible_;
};

}  // namespace chase

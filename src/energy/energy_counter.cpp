#include "energy/energy_counter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace chase {

void ImplausibleReadings::add(std::string what) {
  if (count == 0) first = std::move(what);
  ++count;
}

PowerPlausibility::PowerPlausibility(PowerCeiling ceiling) : ceiling_(std::move(ceiling)) {}

bool PowerPlausibility::energy_fits(Energy energy, Duration elapsed) const {
  const double j = energy.joules();
  const double allowed = ceiling_.power.watts() * (std::max(elapsed.seconds(), 0.0) + kReadSlack.seconds());
  return std::isfinite(j) && j >= 0 && j <= allowed;
}

bool PowerPlausibility::power_fits(Power power) const {
  const double w = power.watts();
  return std::isfinite(w) && w >= 0 && w <= ceiling_.power.watts();
}

EnergyCounter::EnergyCounter(EnergyCounterSpec spec) : spec_(std::move(spec)), plausibility_(spec_.ceiling) {}

Energy EnergyCounter::energy() const { return spec_.unit * static_cast<double>(total_); }

std::optional<std::uint64_t> EnergyCounter::counts_between(std::uint64_t from, std::uint64_t count) const {
  if (count >= from) return count - from;
  if (!spec_.wrap_range) return std::nullopt;
  return (*spec_.wrap_range - from) + count;  // up to the wrap, then from 0
}

bool EnergyCounter::plausible(const Reading& from, const Reading& to, std::uint64_t counts) const {
  return plausibility_.energy_fits(spec_.unit * static_cast<double>(counts), to.time - from.time);
}

std::string EnergyCounter::describe(const Reading& to, std::optional<std::uint64_t> counts) const {
  const Reading& from = *baseline_;
  const double seconds = (to.time - from.time).seconds();
  const std::string moved = fmt::format("{} went from {} to {} in {:.3f} s", spec_.name, from.count, to.count, seconds);
  if (!counts) {
    return fmt::format("{}: it never wraps, so it was reset (a driver reload) or misread", moved);
  }
  const Energy e = spec_.unit * static_cast<double>(*counts);
  return fmt::format("{}: {} {:.1f} J, more than {:.0f} W can give in that time ({})", moved,
                     to.count < from.count ? "as one wrap that is" : "that is", e.joules(),
                     plausibility_.ceiling().power.watts(), plausibility_.ceiling().source);
}

Energy EnergyCounter::reject(std::string what) {
  implausible_.add(std::move(what));
  return energy();
}

void EnergyCounter::accept(const Reading& now, std::uint64_t counts) {
  if (counts > 0) {
    const double seconds = (now.time - baseline_->time).seconds();
    if (seconds > 0) recent_power_ = Power::watts(spec_.unit.joules() * static_cast<double>(counts) / seconds);
    still_since_.reset();
    still_reads_ = 0;
    stall_reported_ = false;
  } else {
    if (!still_since_) still_since_ = baseline_->time;
    ++still_reads_;
    const Duration still = now.time - *still_since_;
    if (!stall_reported_ && still_reads_ >= kStallReadings && still.seconds() >= kStallTime.seconds() && recent_power_ &&
        recent_power_->watts() >= kBusyPower.watts()) {
      implausible_.add(fmt::format("{} stayed at {} for {:.3f} s ({} readings) after counting {:.1f} W: the counter "
                                   "is stuck, and the energy since is not counted",
                                   spec_.name, now.count, still.seconds(), still_reads_ + 1, recent_power_->watts()));
      stall_reported_ = true;
    }
  }
  total_ += counts;
  baseline_ = now;
  suspect_.reset();
}

Energy EnergyCounter::read(UtcTime time, std::uint64_t count) {
  if (spec_.wrap_range && count > *spec_.wrap_range) {
    return reject(fmt::format("{} read {}, outside its range 0 to {}", spec_.name, count, *spec_.wrap_range));
  }
  const Reading now{time, count};
  if (!baseline_) {
    baseline_ = now;
    return energy();
  }
  // The suspect's value read again: the counter showed it at the suspect's time already, so that
  // is when what it counted from the baseline must have fitted (a counter stuck low is no wrap).
  const Reading reached = suspect_ && suspect_->count == count ? *suspect_ : now;
  const std::optional<std::uint64_t> from_baseline = counts_between(baseline_->count, count);
  const bool baseline_fits = from_baseline && plausible(*baseline_, reached, *from_baseline);
  // Moved on from the suspect: a value read again proves nothing (a glitch can stay in a
  // register a while), a counter that restarted keeps counting.
  std::optional<std::uint64_t> from_suspect;
  if (suspect_) from_suspect = counts_between(suspect_->count, count);
  const bool suspect_fits = from_suspect && *from_suspect > 0 && plausible(*suspect_, now, *from_suspect);
  // A wrap from the baseline loses to counting on from the suspect where both fit: a counter
  // stuck low for minutes that then moves on restarted there; it did not wrap a whole range
  // meanwhile. An increase from the baseline wins (the suspect was a glitch, or the counter ran fast).
  const bool wrap = count < baseline_->count;
  if (baseline_fits && !(wrap && suspect_fits)) {
    // A suspect before this reading was a glitch: the counter carried on from the baseline.
    accept(now, *from_baseline);
    return energy();
  }
  if (suspect_fits) {
    // The counter restarted at the suspect and has counted on from it since: a reset. What it
    // counted between the baseline and the reset is gone.
    baseline_ = *suspect_;
    accept(now, *from_suspect);
    ++implausible_.resets;
    return energy();
  }
  implausible_.add(describe(reached, from_baseline));
  if (!suspect_ || suspect_->count != count) suspect_ = now;  // the same value again keeps its first time
  return energy();
}

}  // namespace chase

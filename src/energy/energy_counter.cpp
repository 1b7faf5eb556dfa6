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

Energy EnergyCounter::read(UtcTime time, std::uint64_t count) {
  if (spec_.wrap_range && count > *spec_.wrap_range) {
    return reject(fmt::format("{} read {}, outside its range 0 to {}", spec_.name, count, *spec_.wrap_range));
  }
  const Reading now{time, count};
  if (!baseline_) {
    baseline_ = now;
    return energy();
  }
  const std::optional<std::uint64_t> from_baseline = counts_between(baseline_->count, count);
  if (from_baseline && plausible(*baseline_, now, *from_baseline)) {
    // A suspect before this reading was a glitch: the counter carried on from the baseline.
    total_ += *from_baseline;
    baseline_ = now;
    suspect_.reset();
    return energy();
  }
  if (suspect_) {
    // Moved on from the suspect: a value read again proves nothing (a glitch can stay in a
    // register a while), a counter that restarted keeps counting.
    const std::optional<std::uint64_t> from_suspect = counts_between(suspect_->count, count);
    if (from_suspect && *from_suspect > 0 && plausible(*suspect_, now, *from_suspect)) {
      // The counter restarted at the suspect and has counted on from it since: a reset. What it
      // counted between the baseline and the reset is gone.
      total_ += *from_suspect;
      baseline_ = now;
      suspect_.reset();
      ++implausible_.resets;
      return energy();
    }
  }
  implausible_.add(describe(now, from_baseline));
  if (!suspect_ || suspect_->count != count) suspect_ = now;  // the same value again keeps its first time
  return energy();
}

}  // namespace chase

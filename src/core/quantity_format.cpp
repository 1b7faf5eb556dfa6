#include "core/quantity_format.hpp"

#include <fmt/format.h>

#include <cmath>

namespace chase {

std::string format_sig(double value, int significant) {
  if (!std::isfinite(value)) return kUndefinedNumber;
  if (value == 0) return fmt::format("{}", value);
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  const int decimals = std::max(0, significant - 1 - magnitude);
  return fmt::format("{:.{}f}", value, decimals);
}

namespace {

// The dash alone, without a unit, for a quantity that is not a finite number.
bool undefined(double value) { return !std::isfinite(value); }

}  // namespace

std::string format_energy(Energy e) {
  if (undefined(e.joules())) return kUndefinedNumber;
  const double kwh = e.kwh();
  if (std::fabs(kwh) >= 1000) return format_sig(e.mwh(), 4) + " MWh";
  if (std::fabs(kwh) >= 1) return format_sig(kwh, 4) + " kWh";
  if (std::fabs(kwh) >= 0.001) return format_sig(kwh * 1000, 4) + " Wh";
  return format_sig(e.joules(), 4) + " J";
}

std::string format_mass(Mass m) {
  if (undefined(m.grams())) return kUndefinedNumber;
  if (std::fabs(m.tonnes()) >= 1) return format_sig(m.tonnes(), 4) + " t";
  if (std::fabs(m.kilograms()) >= 1) return format_sig(m.kilograms(), 4) + " kg";
  return format_sig(m.grams(), 4) + " g";
}

std::string format_power(Power p) {
  if (undefined(p.watts())) return kUndefinedNumber;
  if (std::fabs(p.watts()) >= 10000) return format_sig(p.kilowatts(), 4) + " kW";
  return format_sig(p.watts(), 4) + " W";
}

std::string format_duration(Duration d) {
  if (undefined(d.seconds())) return kUndefinedNumber;
  if (std::fabs(d.days()) >= 2) return format_sig(d.days(), 3) + " d";
  if (std::fabs(d.hours()) >= 1) return format_sig(d.hours(), 3) + " h";
  if (std::fabs(d.minutes()) >= 1) return format_sig(d.minutes(), 3) + " min";
  return format_sig(d.seconds(), 3) + " s";
}

std::string format_factor(double factor) { return undefined(factor) ? kUndefinedNumber : format_sig(factor, 3) + "x"; }

std::string format_pct(double pct) { return undefined(pct) ? kUndefinedNumber : fmt::format("{:+.1f} %", pct); }

std::string format_percent(double pct, int decimals) {
  return undefined(pct) ? kUndefinedNumber : fmt::format("{:.{}f} %", pct, decimals);
}

std::string format_fixed(double value, int decimals) {
  return undefined(value) ? kUndefinedNumber : fmt::format("{:.{}f}", value, decimals);
}

}  // namespace chase

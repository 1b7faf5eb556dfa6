#include "core/quantity_format.hpp"

#include <fmt/format.h>

#include <cmath>

namespace chase {

namespace {

bool undefined(double value) { return !std::isfinite(value); }

// `value` to `significant` digits followed by `unit`; the dash alone (no unit) when the value
// is undefined, whichever unit the magnitude tests picked for it.
std::string sig_with_unit(double value, int significant, const char* unit) {
  return undefined(value) ? kUndefinedNumber : format_sig(value, significant) + unit;
}

}  // namespace

std::string format_sig(double value, int significant) {
  if (undefined(value)) return kUndefinedNumber;
  if (value == 0) return fmt::format("{}", value);
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  const int decimals = std::max(0, significant - 1 - magnitude);
  return fmt::format("{:.{}f}", value, decimals);
}

std::string format_energy(Energy e) {
  const double kwh = e.kwh();
  if (std::fabs(kwh) >= 1000) return sig_with_unit(e.mwh(), 4, " MWh");
  if (std::fabs(kwh) >= 1) return sig_with_unit(kwh, 4, " kWh");
  if (std::fabs(kwh) >= 0.001) return sig_with_unit(kwh * 1000, 4, " Wh");
  return sig_with_unit(e.joules(), 4, " J");
}

std::string format_mass(Mass m) {
  if (std::fabs(m.tonnes()) >= 1) return sig_with_unit(m.tonnes(), 4, " t");
  if (std::fabs(m.kilograms()) >= 1) return sig_with_unit(m.kilograms(), 4, " kg");
  return sig_with_unit(m.grams(), 4, " g");
}

std::string format_power(Power p) {
  if (std::fabs(p.watts()) >= 10000) return sig_with_unit(p.kilowatts(), 4, " kW");
  return sig_with_unit(p.watts(), 4, " W");
}

std::string format_duration(Duration d) {
  if (std::fabs(d.days()) >= 2) return sig_with_unit(d.days(), 3, " d");
  if (std::fabs(d.hours()) >= 1) return sig_with_unit(d.hours(), 3, " h");
  if (std::fabs(d.minutes()) >= 1) return sig_with_unit(d.minutes(), 3, " min");
  return sig_with_unit(d.seconds(), 3, " s");
}

std::string format_factor(double factor) { return sig_with_unit(factor, 3, "x"); }

std::string format_pct(double pct) { return undefined(pct) ? kUndefinedNumber : fmt::format("{:+.1f} %", pct); }

std::string format_fixed(double value, int decimals) {
  return undefined(value) ? kUndefinedNumber : fmt::format("{:.{}f}", value, decimals);
}

std::string format_percent(double pct, int decimals) {
  return undefined(pct) ? kUndefinedNumber : format_fixed(pct, decimals) + " %";
}

}  // namespace chase

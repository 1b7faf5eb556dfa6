#include "core/quantity_format.hpp"

#include <fmt/format.h>

#include <cmath>

namespace chase {

namespace {

bool undefined(double value) { return !std::isfinite(value); }

// Outside [1e-6, 1e15) a fixed-point number is a wall of digits (a 1e300 input is refused where
// it overflows, but a tiny or huge finite one may still be printed): those use an exponent.
bool needs_exponent(double value) {
  const double size = std::fabs(value);
  return size != 0 && (size < 1e-6 || size >= 1e15);
}

// `value` to `significant` digits followed by `unit`; the dash alone (no unit) when the value
// is undefined, whichever unit the magnitude tests picked for it.
std::string sig_with_unit(double value, int significant, const char* unit) {
  return undefined(value) ? kUndefinedNumber : format_sig(value, significant) + unit;
}

}  // namespace

std::string format_sig(double value, int significant) {
  if (undefined(value)) return kUndefinedNumber;
  if (value == 0) return fmt::format("{}", value);
  if (needs_exponent(value)) return fmt::format("{:.{}e}", value, std::max(0, significant - 1));
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

std::string format_pct(double pct) {
  if (undefined(pct)) return kUndefinedNumber;
  return std::fabs(pct) >= 1e15 ? fmt::format("{:+.2e} %", pct) : fmt::format("{:+.1f} %", pct);
}

std::string format_fixed(double value, int decimals) {
  if (undefined(value)) return kUndefinedNumber;
  // Beyond 1e15 a fixed-point number is a wall of digits; tiny ones stay fixed (they round to 0).
  return std::fabs(value) >= 1e15 ? fmt::format("{:.{}e}", value, std::max(2, decimals))
                                  : fmt::format("{:.{}f}", value, decimals);
}

std::string format_percent(double pct, int decimals) {
  return undefined(pct) ? kUndefinedNumber : format_fixed(pct, decimals) + " %";
}

std::string format_count(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace chase

#pragma once
// Human-readable quantities for tables, labels and reports: a unit chosen to fit the magnitude,
// and a precision that keeps 3-4 significant digits. JSON output never uses these (it uses
// fixed units named in its fields). A value that is not a finite number (an undefined ratio:
// a saving against a zero-carbon baseline, a factor against a 0 g best) prints as "—", never
// as "nan" or "inf".

#include <limits>
#include <string>

#include "core/units.hpp"

namespace chase {

std::string format_energy(Energy e);           // "7.47 MWh", "316 kWh", "12.5 Wh"
std::string format_mass(Mass m);               // "3.22 t", "135.7 kg", "12.0 g"
std::string format_power(Power p);             // "296 W", "1.2 kW"
std::string format_duration(Duration d);       // "3.5 d", "84.0 h", "12.0 s"
// 3 significant digits; an exponent only outside [1e-6, 1e15) ("1.00e+20"), where fixed point
// would print dozens of digits.
std::string format_sig(double value, int significant = 3);
std::string format_factor(double factor);      // "57.0x"
std::string format_pct(double pct);            // "+1.2 %"
std::string format_percent(double pct, int decimals);  // "12.9 %" (no sign)
std::string format_fixed(double value, int decimals);  // "0.43"
std::string format_count(std::size_t n, const char* one, const char* many);  // "1 trace", "4 traces"

// The dash that stands for an undefined number in a table, and a value that prints as it.
inline constexpr const char* kUndefinedNumber = "—";
inline constexpr double kNotANumber = std::numeric_limits<double>::quiet_NaN();

}  // namespace chase

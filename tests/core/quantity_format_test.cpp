#include "core/quantity_format.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace chase {
namespace {

TEST(QuantityFormat, KeepsSignificantDigitsInAUnitThatFits) {
  EXPECT_EQ(format_sig(429), "429");
  EXPECT_EQ(format_sig(429, 4), "429.0");
  EXPECT_EQ(format_sig(0.1), "0.100");
  EXPECT_EQ(format_sig(0), "0");
  // Extremes take an exponent instead of hundreds of digits.
  EXPECT_EQ(format_sig(1e300), "1.00e+300");
  EXPECT_EQ(format_sig(-2.5e-300, 4), "-2.500e-300");
  EXPECT_EQ(format_sig(999999), "999999");
  EXPECT_EQ(format_mass(Mass::tonnes(1e300)), "1.000e+300 t");
  EXPECT_EQ(format_energy(Energy::joules(3e-305)), "3.000e-305 J");
  EXPECT_EQ(format_pct(2e20), "+2.00e+20 %");
  EXPECT_EQ(format_fixed(1e300, 2), "1.00e+300");
  EXPECT_EQ(format_energy(Energy::kwh(7470)), "7.470 MWh");
  EXPECT_EQ(format_energy(Energy::kwh(316)), "316.0 kWh");
  EXPECT_EQ(format_energy(Energy::joules(12)), "12.00 J");
  EXPECT_EQ(format_mass(Mass::grams(3.22e6)), "3.220 t");
  EXPECT_EQ(format_mass(Mass::grams(135.7)), "135.7 g");
  EXPECT_EQ(format_power(Power::watts(296)), "296.0 W");
  EXPECT_EQ(format_duration(Duration::hours(84)), "3.50 d");
  EXPECT_EQ(format_duration(Duration::seconds(12)), "12.0 s");
  EXPECT_EQ(format_factor(57), "57.0x");
  EXPECT_EQ(format_pct(1.24), "+1.2 %");
  EXPECT_EQ(format_pct(-3), "-3.0 %");
}

TEST(QuantityFormat, UndefinedNumbersPrintAsADashWithoutAUnit) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (const double v : {nan, inf, -inf}) {
    EXPECT_EQ(format_energy(Energy::joules(v)), "—");
    EXPECT_EQ(format_mass(Mass::grams(v)), "—");
    EXPECT_EQ(format_power(Power::watts(v)), "—");
    EXPECT_EQ(format_duration(Duration::seconds(v)), "—");
    EXPECT_EQ(format_sig(v), "—");
    EXPECT_EQ(format_factor(v), "—");
    EXPECT_EQ(format_pct(v), "—");
    EXPECT_EQ(format_percent(v, 1), "—");
    EXPECT_EQ(format_fixed(v, 2), "—");
  }
  EXPECT_EQ(format_percent(12.94, 1), "12.9 %");
  EXPECT_EQ(format_fixed(0.5, 2), "0.50");
  EXPECT_EQ(format_factor(57.04), "57.0x");
}

}  // namespace
}  // namespace chase

#include "core/units.hpp"

#include <gtest/gtest.h>

#include <type_traits>

namespace chase {
namespace {

using namespace chase::literals;

TEST(Units, ConversionsBetweenNamedUnits) {
  EXPECT_DOUBLE_EQ(Energy::kwh(1).joules(), 3.6e6);
  EXPECT_DOUBLE_EQ(Energy::mwh(7.5).kwh(), 7500);
  EXPECT_DOUBLE_EQ(Energy::millijoules(1500).joules(), 1.5);
  EXPECT_DOUBLE_EQ(Duration::days(1).hours(), 24);
  EXPECT_DOUBLE_EQ(Duration::minutes(90).seconds(), 5400);
  EXPECT_DOUBLE_EQ(Mass::tonnes(1.2).kilograms(), 1200);
  EXPECT_DOUBLE_EQ(CarbonIntensity::kg_per_kwh(0.429).g_per_kwh(), 429);
  EXPECT_DOUBLE_EQ(Power::kilowatts(1.5).watts(), 1500);
}

TEST(Units, PowerTimesTimeIsEnergy) {
  const Energy e = 300.0_W * 2.0_h;
  EXPECT_DOUBLE_EQ(e.kwh(), 0.6);
  EXPECT_DOUBLE_EQ((e / 2.0_h).watts(), 300);
  EXPECT_DOUBLE_EQ((e / 300.0_W).hours(), 2);
}

TEST(Units, EnergyTimesIntensityIsCarbonMass) {
  // 1 MWh at 429 gCO2e/kWh = 429 kg.
  const Mass m = Energy::mwh(1) * CarbonIntensity::g_per_kwh(429);
  EXPECT_DOUBLE_EQ(m.kilograms(), 429);
  EXPECT_DOUBLE_EQ((m / Energy::mwh(1)).g_per_kwh(), 429);
}

TEST(Units, SameKindArithmeticKeepsTheKind) {
  Energy total = 1.0_kWh + Energy::joules(3.6e6);
  total += 1.0_kWh;
  EXPECT_DOUBLE_EQ(total.kwh(), 3);
  EXPECT_DOUBLE_EQ(total / 1.0_kWh, 3);  // a ratio is a plain double
  EXPECT_TRUE(1.0_W < 2.0_W);
  EXPECT_EQ(2.0 * 3.0_s, 6.0_s);
  static_assert(std::is_same_v<decltype(1.0_kWh + 1.0_kWh), Energy>);
  static_assert(std::is_same_v<decltype(1.0_kWh / 1.0_kWh), double>);
}

// Mixing kinds must not compile; checked here so the guarantee cannot silently erode.
template <class A, class B>
concept Addable = requires(A a, B b) { a + b; };
static_assert(!Addable<Energy, Power>);
static_assert(!Addable<Duration, double>);
static_assert(!std::is_convertible_v<double, Energy>);
static_assert(!std::is_convertible_v<Power, Energy>);

}  // namespace
}  // namespace chase

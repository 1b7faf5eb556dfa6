// The one plausibility rule for energy readings (energy/energy_counter.hpp), on scripted
// readings and times: resets, glitches in and out of range, real wraps, a counter that never
// wraps (NVML's), and the read slack.

#include "energy/energy_counter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace chase {
namespace {

const UtcTime kT0 = UtcTime::from_epoch_ms(1'700'000'000'000);

// A RAPL-like counter (µJ, wraps at 262143328850) with a 1000 W ceiling, or an NVML-like one
// (mJ, never wraps), read every half second.
struct Script {
  EnergyCounter counter;
  UtcTime t = kT0;

  static Script rapl(Power ceiling = Power::watts(1000)) {
    return {EnergyCounter({"energy_uj", Energy::joules(1e-6), 262143328850ULL, {ceiling, "test ceiling"}})};
  }
  static Script nvml() {
    return {EnergyCounter({"nvmlDeviceGetTotalEnergyConsumption", Energy::millijoules(1), std::nullopt,
                           {Power::watts(600), "test ceiling"}})};
  }
  // Reads each count half a second after the previous; the energy after each.
  std::vector<double> read(const std::vector<std::uint64_t>& counts) {
    std::vector<double> out;
    for (std::uint64_t c : counts) {
      out.push_back(counter.read(t, c).joules());
      t = t + Duration::milliseconds(500);
    }
    return out;
  }
};

using J = std::vector<double>;

TEST(EnergyCounter, AResetIsDroppedAndTheNextReadingRebaselines) {
  Script s = Script::rapl();
  EXPECT_EQ(s.read({100000000, 150000000, 2000000, 7000000, 12000000}), (J{0, 50, 50, 55, 60}));
  EXPECT_EQ(s.counter.implausible().count, 1u);
  EXPECT_EQ(s.counter.implausible().resets, 1u);
  EXPECT_EQ(s.counter.implausible().first,
            "energy_uj went from 150000000 to 2000000 in 0.500 s: as one wrap that is 261995.3 J, more than 1000 W can "
            "give in that time (test ceiling)");
}

TEST(EnergyCounter, AReadingOutsideTheRangeIsInvalidAndKeepsTheBaseline) {
  Script s = Script::rapl();
  EXPECT_EQ(s.read({100000000, 150000000, 9000000000000000ULL, 160000000}), (J{0, 50, 50, 60}));
  EXPECT_EQ(s.counter.implausible().count, 1u);
  EXPECT_EQ(s.counter.implausible().resets, 0u);
  EXPECT_EQ(s.counter.implausible().first, "energy_uj read 9000000000000000, outside its range 0 to 262143328850");
}

TEST(EnergyCounter, AnInRangeJumpDeniedByTheNextReadingIsAGlitch) {
  Script s = Script::rapl();
  EXPECT_EQ(s.read({100000000, 150000000, 200000000000ULL, 160000000}), (J{0, 50, 50, 60}));
  EXPECT_EQ(s.counter.implausible().count, 1u);
  EXPECT_EQ(s.counter.implausible().resets, 0u);
}

TEST(EnergyCounter, TheSuspectReadAgainDecidesNothing) {
  // A glitch that stays a while, then the counter carries on from the baseline: 60 J.
  Script glitch = Script::rapl();
  EXPECT_EQ(glitch.read({100000000, 150000000, 200000000000ULL, 200000000000ULL, 200000000000ULL, 160000000}),
            (J{0, 50, 50, 50, 50, 60}));
  EXPECT_EQ(glitch.counter.implausible().count, 3u);
  EXPECT_EQ(glitch.counter.implausible().resets, 0u);
  // A reset read twice before the counter moves on from it: 55 J.
  Script reset = Script::rapl();
  EXPECT_EQ(reset.read({100000000, 150000000, 2000000, 2000000, 7000000}), (J{0, 50, 50, 50, 55}));
  EXPECT_EQ(reset.counter.implausible().count, 2u);
  EXPECT_EQ(reset.counter.implausible().resets, 1u);
}

TEST(EnergyCounter, ADecreaseIsOneWrapWhenItsEnergyIsPlausible) {
  // 328850 µJ to the wrap, 100 J after it, in 0.5 s: 200 W.
  Script s = Script::rapl();
  const J got = s.read({262143000000ULL, 100000000, 150000000});
  EXPECT_NEAR(got[1], 100.32885, 1e-9);
  EXPECT_NEAR(got[2], 150.32885, 1e-9);
  EXPECT_EQ(s.counter.implausible().count, 0u);
}

TEST(EnergyCounter, AWrapAboveTheCeilingIsAReset) {
  // The same readings under a 100 W ceiling: 100.3 J is more than 100 W x (0.5 s + 0.1 s) = 60 J,
  // and 110.3 J from the first reading to the third more than 100 W x 1.1 s.
  Script s = Script::rapl(Power::watts(100));
  EXPECT_EQ(s.read({262143000000ULL, 100000000, 110000000}), (J{0, 0, 10}));
  EXPECT_EQ(s.counter.implausible().count, 1u);
  EXPECT_EQ(s.counter.implausible().resets, 1u);
}

TEST(EnergyCounter, AGlitchThenAResetAreTwoErrorSamples) {
  Script s = Script::rapl();
  EXPECT_EQ(s.read({100000000, 150000000, 9000000000000000ULL, 2000000, 7000000}), (J{0, 50, 50, 50, 55}));
  EXPECT_EQ(s.counter.implausible().count, 2u);
  EXPECT_EQ(s.counter.implausible().resets, 1u);
}

TEST(EnergyCounter, ASecondOddReadingReplacesTheFirstAsTheSuspect) {
  // 2 J is a reset candidate; 200 kJ fits neither the baseline nor 2 J; 200 kJ + 5 J confirms it.
  Script s = Script::rapl();
  EXPECT_EQ(s.read({100000000, 150000000, 2000000, 200000000000ULL, 200005000000ULL}), (J{0, 50, 50, 50, 55}));
  EXPECT_EQ(s.counter.implausible().count, 2u);
  EXPECT_EQ(s.counter.implausible().resets, 1u);
}

TEST(EnergyCounter, AnInvalidFirstReadingWaitsForAValidBaseline) {
  Script s = Script::rapl();
  EXPECT_EQ(s.read({9000000000000000ULL, 100000000, 150000000}), (J{0, 0, 50}));
  EXPECT_EQ(s.counter.implausible().count, 1u);
}

TEST(EnergyCounter, ACounterThatNeverWrapsRestartsOnAnyDecrease) {
  // NVML's mJ counter after a driver reload: 100 J, 150 J, 0, 5 J → 55 J.
  Script s = Script::nvml();
  EXPECT_EQ(s.read({100000, 150000, 0, 5000}), (J{0, 50, 50, 55}));
  EXPECT_EQ(s.counter.implausible().count, 1u);
  EXPECT_EQ(s.counter.implausible().resets, 1u);
  EXPECT_EQ(s.counter.implausible().first,
            "nvmlDeviceGetTotalEnergyConsumption went from 150000 to 0 in 0.500 s: it never wraps, so it was reset (a "
            "driver reload) or misread");
  // Even a small decrease is not a wrap; the reading after it, on from 100 J, says it was a glitch.
  Script small = Script::nvml();
  EXPECT_EQ(small.read({100000, 99000, 104000}), (J{0, 0, 4}));
  EXPECT_EQ(small.counter.implausible().count, 1u);
  EXPECT_EQ(small.counter.implausible().resets, 0u);
}

TEST(EnergyCounter, ReadsCloseTogetherGetTheReadSlack) {
  // No time between two reads: up to ceiling x kReadSlack = 1000 W x 0.1 s = 100 J is taken.
  Script s = Script::rapl();
  s.counter.read(kT0, 100000000);
  EXPECT_DOUBLE_EQ(s.counter.read(kT0, 180000000).joules(), 80.0);
  EXPECT_DOUBLE_EQ(s.counter.read(kT0, 300000000).joules(), 80.0);  // +120 J at no distance
  EXPECT_EQ(s.counter.implausible().count, 1u);
}

TEST(EnergyCounter, ARejectedNonCountIsAnErrorSample) {
  Script s = Script::rapl();
  s.read({100000000});
  EXPECT_DOUBLE_EQ(s.counter.reject("energy_uj read -5, below 0").joules(), 0.0);
  EXPECT_EQ(s.read({110000000}), (J{10}));
  EXPECT_EQ(s.counter.implausible().count, 1u);
  EXPECT_EQ(s.counter.implausible().first, "energy_uj read -5, below 0");
}

// `n` readings of one count.
std::vector<std::uint64_t> repeated(std::uint64_t count, std::size_t n) { return std::vector<std::uint64_t>(n, count); }

TEST(EnergyCounter, ACounterStuckLowAfterADecreaseNeverPassesAsAWrap) {
  // 150 J, then 2 J for 10 minutes: the wrap from 150 J to 2 J (261995.3 J) would fit under
  // 1000 W after 262 s, but the counter showed 2 J half a second after 150 J already.
  Script s = Script::rapl();
  s.read({100000000, 150000000});
  const J stuck = s.read(repeated(2000000, 1200));
  EXPECT_EQ(stuck.back(), 50.0);
  EXPECT_EQ(s.counter.implausible().count, 1200u);
  EXPECT_EQ(s.counter.implausible().resets, 0u);
  // When it moves on from 2 J it was a reset: 5 J more.
  EXPECT_EQ(s.read({7000000}), (J{55}));
  EXPECT_EQ(s.counter.implausible().resets, 1u);
  // The same from 100 kJ under a lower ceiling (300 W: the 162 kJ wrap fits after 541 s), for an hour.
  Script low = Script::rapl(Power::watts(300));
  low.read({100000000000ULL});
  EXPECT_EQ(low.read(repeated(1000000, 7200)).back(), 0.0);
  EXPECT_EQ(low.counter.implausible().count, 7200u);
}

TEST(EnergyCounter, AValueStuckHighIsNeverTakenEither) {
  // 200 kJ read at 1 s and for 10 minutes after: it would fit under 1000 W after 200 s.
  Script s = Script::rapl();
  s.read({100000000, 150000000});
  EXPECT_EQ(s.read(repeated(200000000000ULL, 1200)).back(), 50.0);
  EXPECT_EQ(s.counter.implausible().count, 1200u);
  EXPECT_EQ(s.counter.implausible().first,
            "energy_uj went from 150000000 to 200000000000 in 0.500 s: that is 199850.0 J, more than 1000 W can give in "
            "that time (test ceiling)");
}

TEST(EnergyCounter, RealWrapsStillCountAtAnyPowerAndAfterLongGaps) {
  // 10 W: 328850 µJ to the wrap and 4.67115 J after it in 0.5 s.
  Script idle = Script::rapl();
  EXPECT_NEAR(idle.read({262143000000ULL, 4671150}).back(), 5.0, 1e-9);
  // A 5-minute gap at 300 W across the wrap: 90 kJ.
  Script gap = Script::rapl(Power::watts(300));
  gap.counter.read(kT0, 200000000000ULL);
  EXPECT_NEAR(gap.counter.read(kT0 + Duration::minutes(5), 27856671150ULL).joules(), 90000.0, 1e-6);
  // Two wraps 15 minutes apart at 291.27 W, read every 0.5 s: no error sample.
  Script two = Script::rapl();
  std::uint64_t c = 0;
  for (int i = 0; i < 3600; ++i) {
    two.read({c});
    c = (c + 145635000ULL) % 262143328850ULL;
  }
  EXPECT_NEAR(two.counter.energy().joules(), 3599 * 145.635, 1e-6);
  EXPECT_EQ(two.counter.implausible().count, 0u);
}

TEST(EnergyCounter, ACounterThatStopsWhileBusyIsReportedOncePerStall) {
  // 100 W, then the same value for 10 s (21 readings): one error sample, when the 10 s are up.
  Script s = Script::rapl();
  s.read({100000000, 150000000});
  const J still = s.read(repeated(150000000, 21));
  EXPECT_EQ(still.back(), 50.0);
  EXPECT_EQ(s.counter.implausible().count, 1u);
  EXPECT_EQ(s.counter.implausible().first,
            "energy_uj stayed at 150000000 for 10.000 s (21 readings) after counting 100.0 W: the counter is stuck, and "
            "the energy since is not counted");
  s.read(repeated(150000000, 100));
  EXPECT_EQ(s.counter.implausible().count, 1u);  // once per stall
  // It moves again: counted from where it stood; a second stall is a second report.
  EXPECT_EQ(s.read({160000000}), (J{60}));
  s.read(repeated(160000000, 21));
  EXPECT_EQ(s.counter.implausible().count, 2u);
  EXPECT_EQ(s.counter.implausible().resets, 0u);
  // The same for NVML's counter (300 W, then 20 s still).
  Script gpu = Script::nvml();
  gpu.read({100000, 250000});
  gpu.read(repeated(250000, 40));
  EXPECT_EQ(gpu.counter.implausible().count, 1u);
}

TEST(EnergyCounter, AStillCounterIsNoFaultWhenItNeverCountedOrBriefly) {
  // Never counted (nothing says the device is busy), or still under 10 s: no report.
  Script never = Script::rapl();
  never.read(repeated(100000000, 100));
  EXPECT_EQ(never.counter.implausible().count, 0u);
  Script brief = Script::rapl();
  brief.read({100000000, 150000000});
  brief.read(repeated(150000000, 19));  // 9.5 s
  brief.read({160000000});
  brief.read(repeated(160000000, 19));
  EXPECT_EQ(brief.counter.implausible().count, 0u);
  EXPECT_EQ(brief.counter.energy().joules(), 60.0);
  // Below 1 W before it stopped: no report (0.5 J in 1 s).
  Script faint = Script::rapl();
  faint.read({100000000, 100250000, 100500000});
  faint.read(repeated(100500000, 100));
  EXPECT_EQ(faint.counter.implausible().count, 0u);
}

TEST(PowerPlausibility, PowerMustBeFiniteNotNegativeAndUnderTheCeiling) {
  const PowerPlausibility p({Power::watts(600), "test"});
  EXPECT_TRUE(p.power_fits(Power::watts(0)));
  EXPECT_TRUE(p.power_fits(Power::watts(600)));
  EXPECT_FALSE(p.power_fits(Power::watts(600.001)));
  EXPECT_FALSE(p.power_fits(Power::watts(-1)));
  EXPECT_FALSE(p.power_fits(Power::watts(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_FALSE(p.power_fits(Power::watts(std::numeric_limits<double>::infinity())));
  EXPECT_TRUE(p.energy_fits(Energy::joules(360), Duration::seconds(0.5)));  // 600 W x 0.6 s
  EXPECT_FALSE(p.energy_fits(Energy::joules(360.001), Duration::seconds(0.5)));
  EXPECT_FALSE(p.energy_fits(Energy::joules(-1), Duration::seconds(0.5)));
  EXPECT_FALSE(p.energy_fits(Energy::joules(std::numeric_limits<double>::quiet_NaN()), Duration::seconds(0.5)));
}

}  // namespace
}  // namespace chase

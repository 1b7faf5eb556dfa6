// The thinning rule: 1 s for the first 3,600 kept samples, then the period doubles after every
// 3,600 more; so a run of h hours keeps about 3,600 x log2(h + 1) samples per device.

#include <gtest/gtest.h>

#include "runs/sample_thinning.hpp"

namespace chase {
namespace {

// Samples every 100 ms for `hours`; how many are kept.
std::size_t kept_over(double hours) {
  SampleThinning thinning;
  const UtcTime t0 = UtcTime::from_epoch_ms(1'700'000'000'000);
  const auto reads = static_cast<std::int64_t>(hours * 36000);
  for (std::int64_t i = 0; i <= reads; ++i) thinning.keep(t0 + Duration::milliseconds(static_cast<double>(i * 100)));
  return thinning.kept();
}

TEST(SampleThinning, OneSecondForTheFirstHourThenDoublingPeriods) {
  EXPECT_EQ(kept_over(1.0 / 60), 61u);  // a minute: every second, both ends
  EXPECT_EQ(kept_over(1), 3600u);       // 0 s .. 3,599 s; at 3,600 s the period is already 2 s
  EXPECT_EQ(kept_over(3), 7200u);       // + 3,600 at 2 s over the next two hours
  EXPECT_EQ(kept_over(7), 10800u);      // + 3,600 at 4 s over the next four
}

TEST(SampleThinning, PeriodDoublesEvery3600KeptSamples) {
  SampleThinning thinning;
  const UtcTime t0 = UtcTime::from_epoch_ms(0);
  EXPECT_DOUBLE_EQ(thinning.period().seconds(), 1);
  for (int i = 0; i < 3600; ++i) ASSERT_TRUE(thinning.keep(t0 + Duration::seconds(i)));
  EXPECT_DOUBLE_EQ(thinning.period().seconds(), 2);
  EXPECT_FALSE(thinning.keep(t0 + Duration::seconds(3600)));  // 1 s after the last kept: too soon
  EXPECT_TRUE(thinning.keep(t0 + Duration::seconds(3601)));
}

}  // namespace
}  // namespace chase

#include "control/zeus_policy.hpp"

#include <gtest/gtest.h>

#include "control/max_policy.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

struct Fixture {
  OperatingPoints points{PowerProfile::load(std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv")};
  FrameGrid grid = FrameGrid::fixed(Duration::minutes(5));
  PolicyJob job(std::optional<double> budget) const {
    PolicyJob j;
    j.points = &points;
    j.grid = &grid;
    j.start = UtcTime::from_epoch_ms(0);
    j.work_at_max = Duration::hours(10);
    j.slowdown_budget = budget;
    return j;
  }
};

double zeus_limit(double eta, std::optional<double> budget) {
  Fixture f;
  ZeusPolicy zeus(eta);
  zeus.begin(f.job(budget));
  return zeus.decide({}).watts();
}

TEST(ZeusPolicy, MinimisesEtaEnergyPlusMaxPowerTime) {
  // η = 0.5, MaxPower 300 W, per unit of work: 300 W → 0.5·3000 + 0.5·300·10 = 3000,
  // 250 W → 1312.5 + 1575 = 2887.5 (least), 200 W → 1200 + 1800 = 3000, 175 W → 1250 + 1770 = 3020.
  EXPECT_DOUBLE_EQ(zeus_limit(0.5, std::nullopt), 250);
  // Energy only: 200 W and 150 W tie at 2400 J; the first (higher, faster) limit wins.
  EXPECT_DOUBLE_EQ(zeus_limit(1.0, std::nullopt), 200);
  // Time only: the fastest.
  EXPECT_DOUBLE_EQ(zeus_limit(0.0, std::nullopt), 300);
}

TEST(ZeusPolicy, HonoursTheSlowdownBudget) {
  // 250 W is 5 % slower than 300 W: out at 2 %, in at 5 %.
  EXPECT_DOUBLE_EQ(zeus_limit(0.5, 0.02), 300);
  EXPECT_DOUBLE_EQ(zeus_limit(0.5, 0.05), 250);
  // Energy only: within 20 % 200 W (12 s against 10 s) fits exactly; within 19 % the noisy
  // 175 W row (11.8 s, 2500 J) is the least energy; within 17 %, 250 W.
  EXPECT_DOUBLE_EQ(zeus_limit(1.0, 0.20), 200);
  EXPECT_DOUBLE_EQ(zeus_limit(1.0, 0.19), 175);
  EXPECT_DOUBLE_EQ(zeus_limit(1.0, 0.17), 250);
}

TEST(ZeusPolicy, RejectsEtaOutsideZeroToOne) {
  EXPECT_THROW(ZeusPolicy(-0.1), InputError);
  EXPECT_THROW(ZeusPolicy(1.5), InputError);
}

TEST(MaxPolicy, AlwaysTheMaximumLimit) {
  Fixture f;
  MaxPolicy max;
  max.begin(f.job(0.1));
  EXPECT_DOUBLE_EQ(max.decide({}).watts(), 300);
}

}  // namespace
}  // namespace chase

#include "energy/power_profile.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

TEST(PowerProfile, LoadsBundledZeusProfile) {
  const auto p = PowerProfile::load("v100-resnet50");
  ASSERT_EQ(p.points().size(), 7u);
  EXPECT_DOUBLE_EQ(p.max_limit().watts(), 250);
  EXPECT_DOUBLE_EQ(p.min_limit().watts(), 100);
  const auto& top = p.max_point();
  EXPECT_DOUBLE_EQ(top.time.seconds(), 26.674534);
  EXPECT_NEAR(top.average_power().watts(), 6065.030 / 26.674534, 1e-9);
  EXPECT_DOUBLE_EQ(p.at_limit(Power::watts(150)).energy.joules(), 4830.296);
  EXPECT_THROW(p.at_limit(Power::watts(160)), InputError);
}

TEST(PowerProfile, ParetoFrontDropsDominatedNoisyRows) {
  // v100-bert-base: 225 W is slower AND costlier than 250 W; 175 W is dominated by 150 W and
  // 100 W by 125 W.
  const auto front = PowerProfile::load("v100-bert-base").pareto_front();
  std::vector<double> limits;
  for (const auto& p : front) limits.push_back(p.limit.watts());
  EXPECT_EQ(limits, (std::vector<double>{250, 200, 150, 125}));
}

TEST(PowerProfile, RejectsBadRows) {
  EXPECT_THROW(PowerProfile::parse_csv("power_limit_w,time_s,energy_j\n", "p.csv"), ParseError);
  try {
    PowerProfile::parse_csv("power_limit_w,time_s,energy_j\n300,1,-2\n", "p.csv");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "p.csv:2: column 'energy_j': \"-2\" must be positive");
  }
  try {
    PowerProfile::parse_csv("power_limit_w,time_s,energy_j\n300,1,2\n300,2,3\n", "p.csv");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "p.csv:3: column 'power_limit_w': \"300\" W appears twice (line 2 has it too)");
  }
}

// Values no GPU can have (energy/profile_bounds.hpp): each names the file, the line and the value.
TEST(PowerProfile, RefusesRowsNoGpuCanHave) {
  const std::string header = "power_limit_w,time_s,energy_j\n300,10,2900\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1e308,10,2900", "p.csv:3: power limit 1e+308 W is above 5000 W, more than any GPU draws (a limit in mW?)"},
      {"250000,10,2900", "p.csv:3: power limit 250000 W is above 5000 W"},
      {"250,10,1e308", "p.csv:3: average power 1e+308 J / 10 s = 1e+307 W is above 5000 W"},
      {"250,0.001,2900", "p.csv:3: average power 2900 J / 0.001 s = 2.9e+06 W is above 5000 W"},
      {"250,1e308,2900", "p.csv:3: time 1e+308 s is longer than ten years"},
      {"0,10,2900", "p.csv:3: column 'power_limit_w': \"0\" must be positive"},
      {"-250,10,2900", "p.csv:3: column 'power_limit_w': \"-250\" must be positive"},
  };
  for (const auto& [row, message] : cases) {
    try {
      PowerProfile::parse_csv(header + row + "\n", "p.csv");
      ADD_FAILURE() << row;
    } catch (const ParseError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(message, 0), 0u) << e.what();
    }
  }
  // At the ceiling is accepted; the constructor (a profile measured by chase) checks the same.
  EXPECT_NO_THROW(PowerProfile::parse_csv(header + "5000,1,5000\n", "p.csv"));
  EXPECT_THROW(PowerProfile("measured", {{Power::watts(250), Duration::seconds(1), Energy::joules(6000)}}), InputError);
  EXPECT_THROW(PowerProfile("measured", {{Power::watts(5001), Duration::seconds(1), Energy::joules(100)}}), InputError);
}

// A European Excel export of tests/fixtures/control/noisy-profile.csv: ';', decimal commas,
// '.' between thousands, CRLF.
TEST(PowerProfile, ReadsAEuropeanSpreadsheetExportAsTheOriginal) {
  const std::string fixtures = CHASE_FIXTURES_DIR;
  const auto original = PowerProfile::load(fixtures + "/control/noisy-profile.csv");
  const auto exported = PowerProfile::load(fixtures + "/exports/noisy-profile-de.csv");
  EXPECT_EQ(exported.to_csv(), original.to_csv());
  EXPECT_DOUBLE_EQ(exported.at_limit(Power::watts(250)).energy.joules(), 2625);
}

}  // namespace
}  // namespace chase

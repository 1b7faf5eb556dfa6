#include "carbon/region_table.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "carbon/intensity_trace.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

TEST(RegionTable, TraceDerivedAveragesMatchTheirTraces) {
  int checked = 0;
  for (const auto& region : bundled_regions().all()) {
    if (region.trace.empty()) continue;
    const double mean = IntensityTrace::load(region.trace).sample_mean().g_per_kwh();
    EXPECT_NEAR(region.gross.g_per_kwh(), mean, 0.05) << region.key;
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

TEST(RegionTable, PaperFiguresAreCarried) {
  const auto& iowa = bundled_regions().get("google-iowa");
  EXPECT_DOUBLE_EQ(iowa.gross.g_per_kwh(), 478);
  EXPECT_DOUBLE_EQ(iowa.net->g_per_kwh(), 80);
  EXPECT_DOUBLE_EQ(*iowa.cfe_fraction, 0.78);
  EXPECT_DOUBLE_EQ(bundled_regions().get("us-average").gross.g_per_kwh(), 429);
}

TEST(RegionTable, UnknownRegionListsKnownOnes) {
  try {
    bundled_regions().get("mars");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown region 'mars' (known: "), std::string::npos) << e.what();
  }
}

TEST(RegionTable, RejectsBadRows) {
  EXPECT_THROW(parse_region_table("[x]\nname='x'\nyear=2020\ng_per_kwh=1\ncfe=1.5\nsource='s'\n", "t.toml"), InputError);
  EXPECT_THROW(parse_region_table("[x]\nname='x'\nyear=2020\nsource='s'\n", "t.toml"), InputError);
  EXPECT_THROW(parse_region_table("[x\n", "t.toml"), ParseError);
}

// TOML spells inf and nan; a preset number must be finite (no nan or inf in any table).
TEST(RegionTable, RefusesInfAndNan) {
  for (const char* value : {"nan", "inf", "-inf"}) {
    try {
      parse_region_table(fmt::format("[x]\nname='x'\nyear=2020\ng_per_kwh={}\nsource='s'\n", value), "t.toml");
      FAIL() << value;
    } catch (const InputError& e) {
      EXPECT_STREQ(e.what(), "t.toml [x]: 'g_per_kwh' must be a finite number");
    }
  }
}

// Found with fuzz/presets_fuzzer: a year of 1e300 was converted to int (undefined behaviour).
TEST(RegionTable, RefusesAYearThatIsNotAWholeYear) {
  for (const char* year : {"1e300", "-1", "2020.5", "10000"}) {
    try {
      parse_region_table(fmt::format("[x]\nname='x'\nyear={}\ng_per_kwh=1\nsource='s'\n", year), "t.toml");
      FAIL() << year;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), fmt::format("t.toml [x]: year {} is not a whole year from 0 to 9999", std::stod(year)));
    }
  }
  EXPECT_EQ(parse_region_table("[x]\nname='x'\nyear=2020\ng_per_kwh=1\nsource='s'\n", "t.toml").get("x").year, 2020);
}

}  // namespace
}  // namespace chase

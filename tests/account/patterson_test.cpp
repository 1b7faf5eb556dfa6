#include "account/patterson.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

TEST(Patterson, EnergyIsHoursTimesProcessorsTimesPowerTimesPue) {
  // The paper's own worked formula for the Evolved Transformer NAS (Appendix D):
  // 6.8 d x 24 x 200 x 208 W x 1.10 / 1000 = 7,468 kWh; x 0.431 kg/kWh = 3.2 t.
  const TrainingJob job{Duration::days(6.8), 200, Power::watts(208), 1.10};
  EXPECT_NEAR(training_energy(job).kwh(), 6.8 * 24 * 200 * 208 * 1.10 / 1000, 1e-9);
  const auto est = estimate_footprint(job, GridFactors{CarbonIntensity::kg_per_kwh(0.431), std::nullopt, std::nullopt});
  EXPECT_NEAR(est.co2e.tonnes(), 6.8 * 24 * 200 * 208 * 1.10 / 1000 * 0.431 / 1000, 1e-9);
  EXPECT_NEAR(est.co2e.tonnes(), 3.2, 0.05);
  EXPECT_FALSE(est.headline_is_net);
  EXPECT_FALSE(est.co2e_24x7_cfe);
}

TEST(Patterson, NetAndCfeAreSeparateViews) {
  const TrainingJob job{Duration::hours(1000), 1, Power::watts(1000), 1.0};  // 1 MWh
  const GridFactors grid{CarbonIntensity::kg_per_kwh(0.201), CarbonIntensity::kg_per_kwh(0.177), 0.73};
  const auto est = estimate_footprint(job, grid);
  EXPECT_DOUBLE_EQ(est.energy.mwh(), 1);
  EXPECT_NEAR(est.co2e_gross.tonnes(), 0.201, 1e-12);
  EXPECT_NEAR(est.co2e_net->tonnes(), 0.177, 1e-12);
  EXPECT_TRUE(est.headline_is_net);
  EXPECT_NEAR(est.co2e.tonnes(), 0.177, 1e-12);
  // The 24/7-CFE view is gross x (1 - CFE), not the net figure.
  EXPECT_NEAR(est.co2e_24x7_cfe->tonnes(), 0.201 * 0.27, 1e-12);
}

TEST(Patterson, RejectsOutOfRangeInputsNamingTheField) {
  const GridFactors grid{CarbonIntensity::g_per_kwh(400), std::nullopt, std::nullopt};
  auto message = [&](TrainingJob job, GridFactors g) -> std::string {
    try {
      estimate_footprint(job, g);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  };
  const TrainingJob ok{Duration::hours(1), 1, Power::watts(100), 1.1};
  EXPECT_EQ(message({Duration::hours(-1), 1, Power::watts(100), 1.1}, grid),
            "training time (hours) = -1: must be positive");
  EXPECT_EQ(message({Duration::hours(1), 0, Power::watts(100), 1.1}, grid), "processors = 0: must be positive");
  EXPECT_EQ(message({Duration::hours(1), 1, Power::watts(100), 0.9}, grid), "PUE = 0.9: must be at least 1.0");
  EXPECT_EQ(message(ok, {CarbonIntensity::g_per_kwh(-1), std::nullopt, std::nullopt}),
            "intensity (gCO2e/kWh) = -1: must be non-negative");
  EXPECT_EQ(message(ok, {CarbonIntensity::g_per_kwh(1), std::nullopt, 1.2}), "CFE = 1.2: must be within [0, 1]");
}

}  // namespace
}  // namespace chase

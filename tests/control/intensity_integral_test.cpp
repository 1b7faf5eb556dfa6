#include "control/intensity_integral.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }
double s(const char* iso) { return at(iso).epoch_seconds(); }

// step-change.csv: 100 g/kWh from 00:00, 400 g/kWh from 01:00 to 02:00.
IntensityTrace step_trace() { return IntensityTrace::load(std::string(CHASE_FIXTURES_DIR) + "/traces/step-change.csv"); }

TEST(IntensityIntegral, IntegratesOnTheTraceGrid) {
  const auto trace = step_trace();
  const IntensityIntegral integral(trace);
  EXPECT_DOUBLE_EQ(integral.integral(s("2020-01-01T00:30:00Z"), s("2020-01-01T01:30:00Z")), 1800 * 100.0 + 1800 * 400.0);
  EXPECT_DOUBLE_EQ(integral.integral(s("2020-01-01T00:00:00Z"), s("2020-01-01T02:00:00Z")), 3600 * 500.0);
  EXPECT_DOUBLE_EQ(integral.mean(at("2020-01-01T00:30:00Z"), at("2020-01-01T02:00:00Z")), 300);
  // A fraction of a second inside one step.
  EXPECT_NEAR(integral.integral(s("2020-01-01T01:10:00Z"), s("2020-01-01T01:10:00Z") + 0.25), 100.0, 1e-6);
}

TEST(IntensityIntegral, AgreesWithTheTraceMeanEverywhere) {
  const auto trace = IntensityTrace::load("gb-2020");
  const IntensityIntegral integral(trace);
  const UtcTime from = trace.start() + Duration::days(300) + Duration::minutes(7);
  for (int k = 0; k < 20; ++k) {
    const UtcTime a = from + Duration::minutes(37.0 * k);
    const UtcTime b = a + Duration::minutes(95);
    EXPECT_NEAR(integral.mean(a, b), trace.mean(a, b).g_per_kwh(), 1e-6);
  }
}

TEST(IntensityIntegral, WindowGivesTheSameAnswersAsTheWholeTrace) {
  const auto trace = IntensityTrace::load("fr-2020");
  const UtcTime from = trace.start() + Duration::days(40);
  const IntensityIntegral whole(trace);
  const IntensityIntegral window(trace, from, from + Duration::hours(27));
  for (int k = 0; k < 10; ++k) {
    const UtcTime a = from + Duration::minutes(41.0 * k);
    EXPECT_NEAR(window.mean(a, a + Duration::minutes(90)), whole.mean(a, a + Duration::minutes(90)), 1e-9);
  }
  EXPECT_THROW(window.integral(s("2019-01-01T00:00:00Z"), from.epoch_seconds()), InputError);
}

TEST(IntensityIntegral, OutsideTheTraceIsAnErrorNamingIt) {
  const auto trace = step_trace();
  const IntensityIntegral integral(trace);
  try {
    integral.integral(s("2020-01-01T01:00:00Z"), s("2020-01-01T02:30:00Z"));
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("step-change.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("2020-01-01T02:30:00Z"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace chase

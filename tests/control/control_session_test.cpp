// What a control session's result says in reports: the profile it ran with, and its error.

#include "control/control_session.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

TEST(ControlSessionResult, ProfileNameSaysWhichProfileOrWhyNone) {
  const PowerProfile saved = PowerProfile::load("a40-resnet50");
  ControlSessionSetup setup;
  ControlSessionResult result;
  EXPECT_EQ(profile_name(setup, result), "none");
  result.profiling_interrupted = true;
  EXPECT_EQ(profile_name(setup, result), "none (the job ended while it was being profiled)");
  result.profiled = PowerProfile("measured", saved.points());
  EXPECT_EQ(profile_name(setup, result), "measured");
  setup.profile = &saved;
  EXPECT_EQ(profile_name(setup, result), saved.source());
}

TEST(ControlSessionResult, ErrorMessageIsTheErrorsWhat) {
  ControlSessionResult result;
  EXPECT_EQ(result.error_message(), "");
  result.error = std::make_exception_ptr(HardwareError("nvml:0: GPU is lost"));
  EXPECT_EQ(result.error_message(), "nvml:0: GPU is lost");
}

// A source whose history request fails (a provider that is down) or answers, counting requests.
class HistorySource final : public IntensitySource {
 public:
  bool fail = false;
  int requests = 0;
  std::string name() const override { return "test:zone"; }
  IntensityReading reading_at(UtcTime t) override {
    return {{CarbonIntensity::g_per_kwh(100), t, t + Duration::minutes(30), name(), false}, Duration()};
  }
  std::vector<IntensityReading> history(UtcTime from, UtcTime) override {
    ++requests;
    if (fail) throw NetworkError("test:zone: connection refused");
    return {reading_at(from)};
  }
  UtcTime now() const override { return UtcTime(); }
};

TEST(PrefetchHistory, OneRequestAndOnFailureTheWarmUpIsOffWithTheReason) {
  ManualClock clock(UtcTime::parse_iso8601_or_throw("2021-03-02T10:00Z", "test"));
  HistorySource source;
  JobSpec job;
  job.history = Duration::hours(8);
  EXPECT_FALSE(prefetch_history(source, /*in_memory=*/false, clock, job).has_value());
  EXPECT_EQ(source.requests, 1);
  EXPECT_DOUBLE_EQ(job.history.hours(), 8);

  source.fail = true;
  const auto failure = prefetch_history(source, false, clock, job);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(*failure, "test:zone: connection refused");
  EXPECT_DOUBLE_EQ(job.history.seconds(), 0);  // frame-by-frame retries of a dead provider are off

  JobSpec trace_job;
  EXPECT_FALSE(prefetch_history(source, /*in_memory=*/true, clock, trace_job).has_value());
  EXPECT_EQ(source.requests, 2);  // a trace is not asked
  EXPECT_DOUBLE_EQ(trace_job.history.hours(), 24);
}

}  // namespace
}  // namespace chase

// The Sampler thread: its schedule, its time series, clean shutdown, errors, and wakes at
// intensity boundaries. Nothing here asserts how long anything took.

#include "energy/sampler.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "energy/test_devices.hpp"

namespace chase {
namespace {

const UtcTime kT0 = UtcTime::from_epoch_ms(1'600'000'000'000);

TEST(SamplerSchedule, OnePeriodAfterThePreviousDeadline) {
  const Duration period = Duration::milliseconds(100);
  EXPECT_DOUBLE_EQ(Sampler::next_wait(kT0 + Duration::milliseconds(3), kT0, period, std::nullopt).milliseconds(), 97);
  // Behind schedule: a full period from now rather than a burst of catch-up reads.
  EXPECT_DOUBLE_EQ(Sampler::next_wait(kT0 + Duration::milliseconds(250), kT0, period, std::nullopt).milliseconds(), 100);
}

TEST(SamplerSchedule, WakesAtAnEarlierIntensityBoundary) {
  const Duration period = Duration::minutes(1);
  EXPECT_DOUBLE_EQ(Sampler::next_wait(kT0, kT0, period, kT0 + Duration::seconds(20)).seconds(), 20);
  EXPECT_DOUBLE_EQ(Sampler::next_wait(kT0, kT0, period, kT0 + Duration::minutes(5)).seconds(), 60);
  EXPECT_DOUBLE_EQ(Sampler::next_wait(kT0, kT0, period, kT0).seconds(), 60);  // already passed
}

// Collects the sink's samples and lets a test wait for a count without sleeping blindly.
struct Collector {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<SamplerSample> samples;

  Sampler::Sink sink() {
    return [this](const SamplerSample& s) {
      std::lock_guard lock(mutex);
      samples.push_back(s);
      changed.notify_all();
    };
  }
  bool wait_for_count(std::size_t n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(30), [&] { return samples.size() >= n; });
  }
};

TEST(Sampler, ProducesATimeSeriesAndStopsCleanly) {
  SystemClock clock;
  auto a = std::make_shared<test::CountingDevice>("a", Energy::joules(1));
  auto b = std::make_shared<test::CountingDevice>("b", Energy::joules(3));
  Monitor monitor({a, b}, clock);
  Collector collected;
  Sampler sampler(monitor, Duration::milliseconds(2), collected.sink());
  ASSERT_TRUE(collected.wait_for_count(5));
  sampler.stop();
  sampler.stop();  // idempotent
  std::lock_guard lock(collected.mutex);
  const auto& s = collected.samples;
  EXPECT_EQ(s.size(), sampler.samples_taken());
  EXPECT_EQ(sampler.errors(), 0u);
  EXPECT_DOUBLE_EQ(s.front().elapsed.seconds(), 0);
  EXPECT_FALSE(s.front().average_power[0].has_value());
  for (std::size_t i = 0; i < s.size(); ++i) {
    // One read per device per sample after the Monitor's origin read.
    EXPECT_DOUBLE_EQ(s[i].energy[0].joules(), static_cast<double>(i + 1));
    EXPECT_DOUBLE_EQ(s[i].energy[1].joules(), 3.0 * static_cast<double>(i + 1));
    if (i > 0) {
      EXPECT_GE(s[i].time, s[i - 1].time);
      EXPECT_EQ(s[i].elapsed, s[i].time - s.front().time);
    }
  }
  EXPECT_EQ(a->reads(), static_cast<long>(s.size()) + 1);
}

TEST(Sampler, StopWakesALongWaitAtOnce) {
  // With an hour-long period only the condition variable can end the wait; a blocking sleep
  // would hang this test until ctest's timeout.
  SystemClock clock;
  auto a = std::make_shared<test::CountingDevice>("a");
  Monitor monitor({a}, clock);
  Sampler sampler(monitor, Duration::hours(1));
  sampler.stop();
  EXPECT_EQ(sampler.samples_taken(), 2u);  // the first and the final sample
}

TEST(Sampler, WakesAtTheNextIntensityBoundary) {
  SystemClock clock;
  const UtcTime now = clock.now();
  test::StepFeed feed({{CarbonIntensity::g_per_kwh(100), now - Duration::hours(1), now + Duration::milliseconds(300),
                        "test:a", false},
                       {CarbonIntensity::g_per_kwh(200), now + Duration::milliseconds(300), now + Duration::hours(1),
                        "test:b", false}});
  auto a = std::make_shared<test::CountingDevice>("a");
  Monitor monitor({a}, clock, &feed);
  Collector collected;
  Sampler sampler(monitor, Duration::hours(1), collected.sink());
  // Only a wake for the boundary can produce a second sample within the hour.
  ASSERT_TRUE(collected.wait_for_count(2));
  sampler.stop();
  std::lock_guard lock(collected.mutex);
  // UtcTime has millisecond resolution, so the wake may be stamped up to 1 ms early.
  EXPECT_GE(collected.samples[1].time, now + Duration::milliseconds(299));
}

TEST(Sampler, ADeviceThatStopsAnsweringIsOneErrorAndSamplingGoesOn) {
  SystemClock clock;
  auto flaky = std::make_shared<test::CountingDevice>("f", Energy::joules(1), 3);  // reads 3+ fail
  auto good = std::make_shared<test::CountingDevice>("g");
  Monitor monitor({good, flaky}, clock);
  Sampler sampler(monitor, Duration::milliseconds(1));
  while (sampler.samples_taken() < 10) std::this_thread::yield();
  sampler.stop();
  EXPECT_EQ(sampler.errors(), 1u);  // once, not once per sample
  EXPECT_EQ(sampler.last_error(), "f: read 3 failed");
  EXPECT_EQ(flaky->reads(), 3);     // not read again after it failed
  EXPECT_GE(good->reads(), 11);
  const MonitorSample last = monitor.sample();
  EXPECT_DOUBLE_EQ(last.energy[1].joules(), 1.0);  // its last good reading (read 2) less the origin
}

TEST(Sampler, RejectsANonPositivePeriod) {
  ManualClock clock;
  auto a = std::make_shared<test::CountingDevice>("a");
  Monitor monitor({a}, clock);
  EXPECT_THROW(Sampler(monitor, Duration::seconds(0)), InputError);
}

TEST(Sampler, WindowsFromOtherThreadsWhileSampling) {
  // Exercised under ThreadSanitizer: windows on four threads while the sampler reads.
  SystemClock clock;
  auto a = std::make_shared<test::CountingDevice>("a");
  auto b = std::make_shared<test::CountingDevice>("b");
  Monitor monitor({a, b}, clock);
  Sampler sampler(monitor, Duration::milliseconds(1));
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        // (fmt rather than string concatenation: GCC 12 at -O3 reports a false -Wrestrict there.)
        const std::string name = fmt::format("t{}-{}", t, i);
        monitor.begin(name);
        const WindowResult w = monitor.end(name);
        // Both devices were read the same number of times in between: b's energy equals a's.
        if (!(w.devices[0].energy.joules() >= 1) || w.devices[0].energy != w.devices[1].energy) ++bad;
      }
    });
  }
  for (auto& th : threads) th.join();
  sampler.stop();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_TRUE(monitor.open_windows().empty());
}

}  // namespace
}  // namespace chase

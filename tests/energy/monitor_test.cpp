// Monitor windows: time and per-device energy, nesting and overlap, and misuse.

#include "energy/monitor.hpp"

#include <gtest/gtest.h>

#include "energy/simulated_gpu.hpp"
#include "energy/test_devices.hpp"

namespace chase {
namespace {

struct TwoGpus {
  ManualClock clock{UtcTime::parse_iso8601_or_throw("2020-06-01T12:00:00Z", "test")};
  std::shared_ptr<SimulatedGpu> a40 = std::make_shared<SimulatedGpu>(PowerProfile::load("a40-resnet50"), clock, "sim:0");
  std::shared_ptr<SimulatedGpu> v100 =
      std::make_shared<SimulatedGpu>(PowerProfile::load("v100-resnet50"), clock, "sim:1");
  Power p_a40 = *a40->power();
  Power p_v100 = *v100->power();
  Monitor monitor{{a40, v100}, clock};
};

TEST(Monitor, WindowGivesTimeAndPerDeviceEnergy) {
  TwoGpus g;
  g.monitor.begin("epoch");
  g.clock.advance(Duration::seconds(60));
  const WindowResult w = g.monitor.end("epoch");
  EXPECT_EQ(w.name, "epoch");
  EXPECT_EQ(w.start.iso8601(), "2020-06-01T12:00:00Z");
  EXPECT_EQ(w.end.iso8601(), "2020-06-01T12:01:00Z");
  EXPECT_DOUBLE_EQ(w.time.seconds(), 60);
  ASSERT_EQ(w.devices.size(), 2u);
  EXPECT_EQ(w.devices[0].id, "sim:0");
  EXPECT_EQ(w.devices[0].backend, "simulated");
  EXPECT_NEAR(w.devices[0].energy.joules(), g.p_a40.watts() * 60, 1e-9);
  EXPECT_NEAR(w.devices[1].energy.joules(), g.p_v100.watts() * 60, 1e-9);
  EXPECT_NEAR(w.devices[1].average_power.watts(), g.p_v100.watts(), 1e-9);
  EXPECT_NEAR(w.energy.joules(), (g.p_a40 + g.p_v100).watts() * 60, 1e-9);
  EXPECT_NEAR(w.average_power().watts(), (g.p_a40 + g.p_v100).watts(), 1e-9);
  EXPECT_FALSE(w.carbon.has_value());
  EXPECT_TRUE(w.segments.empty());
  EXPECT_FALSE(w.any_estimated());
}

TEST(Monitor, WindowsNestAndOverlap) {
  TwoGpus g;
  g.monitor.begin("run");
  g.clock.advance(Duration::seconds(10));
  g.monitor.begin("epoch 1");
  g.clock.advance(Duration::seconds(10));
  g.monitor.begin("eval");
  EXPECT_EQ(g.monitor.open_windows(), (std::vector<std::string>{"epoch 1", "eval", "run"}));
  g.clock.advance(Duration::seconds(5));
  g.a40->set_power_limit(Power::watts(150));  // the rest runs slower and cheaper
  const Power low = *g.a40->power();
  g.clock.advance(Duration::seconds(5));
  const WindowResult epoch = g.monitor.end("epoch 1");  // closes while "eval" stays open
  g.clock.advance(Duration::seconds(10));
  const WindowResult eval = g.monitor.end("eval");
  const WindowResult run = g.monitor.end("run");
  EXPECT_DOUBLE_EQ(epoch.time.seconds(), 20);
  EXPECT_DOUBLE_EQ(eval.time.seconds(), 20);
  EXPECT_DOUBLE_EQ(run.time.seconds(), 40);
  EXPECT_NEAR(epoch.devices[0].energy.joules(), g.p_a40.watts() * 15 + low.watts() * 5, 1e-9);
  EXPECT_NEAR(eval.devices[0].energy.joules(), g.p_a40.watts() * 5 + low.watts() * 15, 1e-9);
  EXPECT_NEAR(run.devices[0].energy.joules(), g.p_a40.watts() * 25 + low.watts() * 15, 1e-9);
  EXPECT_NEAR(run.devices[1].energy.joules(), g.p_v100.watts() * 40, 1e-9);
  EXPECT_TRUE(g.monitor.open_windows().empty());
}

TEST(Monitor, MisuseIsAClearError) {
  TwoGpus g;
  try {
    g.monitor.end("epoch 9");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "no open window 'epoch 9' (no window is open)");
  }
  g.monitor.begin("a");
  g.monitor.begin("b");
  try {
    g.monitor.end("c");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "no open window 'c' (open: 'a', 'b')");
  }
  try {
    g.monitor.begin("a");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "window 'a' is already open");
  }
  EXPECT_TRUE(g.monitor.is_open("a"));
  g.monitor.end("a");
  EXPECT_FALSE(g.monitor.is_open("a"));
  EXPECT_THROW(g.monitor.end("a"), InputError);
  auto same = std::make_shared<test::CountingDevice>("x");
  EXPECT_THROW(Monitor({same, same}, g.clock), InputError);
}

TEST(Monitor, SampleReportsEnergySinceConstruction) {
  ManualClock clock;
  auto counter = std::make_shared<test::CountingDevice>("c", Energy::joules(2.5));
  Monitor monitor({counter}, clock);  // read 1 is the origin
  clock.advance(Duration::seconds(1));
  const MonitorSample s = monitor.sample();
  EXPECT_EQ(s.time, UtcTime::from_epoch_ms(1000));
  ASSERT_EQ(s.energy.size(), 1u);
  EXPECT_DOUBLE_EQ(s.energy[0].joules(), 2.5);
  EXPECT_FALSE(monitor.next_intensity_boundary().has_value());
}

TEST(Monitor, ADeviceThatStopsAnsweringKeepsItsLastGoodReading) {
  ManualClock clock{UtcTime::from_epoch_ms(0)};
  auto flaky = std::make_shared<test::CountingDevice>("f", Energy::joules(1), 4);  // reads 4+ throw
  auto good = std::make_shared<test::CountingDevice>("g", Energy::joules(2));
  Monitor monitor({flaky, good}, clock);  // read 1 of each: the origin
  clock.advance(Duration::seconds(1));
  monitor.begin("w");                     // read 2: f at 1 J, g at 2 J
  clock.advance(Duration::seconds(1));
  EXPECT_EQ(monitor.sample().device_failures, 0u);  // read 3: f at 2 J, g at 4 J
  clock.advance(Duration::seconds(1));
  const MonitorSample failed = monitor.sample();    // read 4: f throws, g at 6 J
  EXPECT_EQ(failed.device_failures, 1u);
  EXPECT_DOUBLE_EQ(failed.energy[0].joules(), 2.0);
  EXPECT_DOUBLE_EQ(failed.energy[1].joules(), 6.0);
  clock.advance(Duration::seconds(1));
  const WindowResult w = monitor.end("w");          // g's read 5 (8 J); f is not read again
  EXPECT_FALSE(monitor.is_open("w"));
  EXPECT_EQ(flaky->reads(), 4);
  ASSERT_EQ(w.devices.size(), 2u);
  EXPECT_DOUBLE_EQ(w.devices[0].energy.joules(), 1.0);  // 2 J at read 3 less 1 J at begin
  EXPECT_DOUBLE_EQ(w.devices[1].energy.joules(), 6.0);
  EXPECT_DOUBLE_EQ(w.energy.joules(), 7.0);
  const std::vector<DeviceFailure> failures = monitor.device_failures();
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].id, "f");
  EXPECT_EQ(failures[0].at, UtcTime::from_epoch_ms(3000));
  EXPECT_EQ(failures[0].reason, "f: read 4 failed");
  EXPECT_EQ(failures[0].describe(),
            "device f (counting f) stopped answering at 1970-01-01T00:00:03Z: f: read 4 failed; its energy after that "
            "is not counted");
}

TEST(Monitor, TheFinalReadOfAWindowDoesNotThrowForADevice) {
  ManualClock clock;
  auto flaky = std::make_shared<test::CountingDevice>("f", Energy::joules(1), 3);
  Monitor monitor({flaky}, clock);  // read 1
  monitor.begin("w");               // read 2
  const WindowResult w = monitor.end("w");  // read 3 throws: the window ends at the last good reading
  EXPECT_DOUBLE_EQ(w.energy.joules(), 0.0);
  EXPECT_EQ(monitor.device_failures().size(), 1u);
}

TEST(Monitor, ADeviceThatCannotBeReadAtTheStartIsAnError) {
  ManualClock clock;
  auto dead = std::make_shared<test::CountingDevice>("d", Energy::joules(1), 1);
  EXPECT_THROW(Monitor({dead}, clock), HardwareError);
}

}  // namespace
}  // namespace chase

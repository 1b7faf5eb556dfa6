// A policy added the way CONTRIBUTING.md says (one class, one entry, one registration line) is
// accepted everywhere a policy is: by name in the simulator, in the policy benchmark's list,
// and by the live run's check; its declared parameter arrives with its value.

#include <gtest/gtest.h>

#include "control/policy.hpp"
#include "core/error.hpp"
#include "sim/policy_benchmark.hpp"
#include "sim/simulator.hpp"

namespace chase {
namespace {

// Always the lowest profiled limit at or above `floor_w` (a declared parameter).
class FloorPolicy final : public Policy {
 public:
  explicit FloorPolicy(double floor_w) : floor_w_(floor_w) {}
  std::string name() const override { return "test-floor"; }
  void begin(const PolicyJob& job) override {
    limit_ = job.points->max_limit().limit;
    for (const OperatingPoint& p : job.points->all()) {
      if (p.limit.watts() >= floor_w_ && p.limit < limit_) limit_ = p.limit;
    }
  }
  Power decide(const FrameContext&) override { return limit_; }

 private:
  double floor_w_;
  Power limit_;
};

PolicyEntry floor_policy_entry() {
  PolicyEntry e;
  e.name = "test-floor";
  e.description = "test only: the lowest profiled limit at or above --floor-w";
  e.parameters = {{"floor-w", "lowest limit to use, W", 200, 0, 1000}};
  e.make = [](const PolicyOptions& o) { return std::make_unique<FloorPolicy>(o.parameters.at("floor-w")); };
  return e;
}

void register_once() {
  if (policy_registry().find("test-floor") == nullptr) policy_registry().add(floor_policy_entry());
}

TEST(PluginPolicy, ARegisteredPolicyIsAcceptedBySimulateBenchAndRun) {
  register_once();
  const auto names = policy_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "test-floor"), names.end());
  // Its parameter is offered as a flag beside η.
  bool offered = false;
  for (const PolicyParameter& p : policy_parameters()) offered = offered || p.name == "floor-w";
  EXPECT_TRUE(offered);
  // run: a live policy (it does not need the future).
  EXPECT_NO_THROW(check_live_policy("test-floor"));
  // bench: accepted in the list beside the baseline.
  EXPECT_NO_THROW(check_benchmark_policies({"max", "test-floor"}));
  EXPECT_THROW(check_benchmark_policies({"test-floor"}), InputError);  // without the baseline
  // Registered is not benchmarked by default: the default list is what BENCHMARKS.md records.
  const auto by_default = default_benchmark_policies();
  EXPECT_EQ(std::find(by_default.begin(), by_default.end(), "test-floor"), by_default.end());

  // simulate: by name, with its parameter. a40-resnet50 has 200 W and 150 W limits among others.
  const IntensityTrace trace = IntensityTrace::load("gb-2020");
  const PowerProfile profile = PowerProfile::load("a40-resnet50");
  const Simulator sim(trace, profile);
  SimulationSetup setup;
  setup.start = UtcTime::parse_iso8601_or_throw("2020-06-01T00:00Z", "test");
  setup.job.work_at_max = Duration::hours(6);
  PolicyOptions options;
  options.parameters["floor-w"] = 200;
  const auto policy = make_policy("test-floor", options);
  const SimulationResult floor = sim.run(*policy, setup);
  const SimulationResult max = sim.run("max", setup);
  EXPECT_EQ(floor.policy, "test-floor");
  ASSERT_FALSE(floor.frames.empty());
  for (const SimulatedFrame& f : floor.frames) EXPECT_DOUBLE_EQ(f.limit.watts(), 200);
  EXPECT_GT(floor.time.seconds(), max.time.seconds());    // slower than the maximum limit...
  EXPECT_LT(floor.energy.joules(), max.energy.joules());  // ...and thriftier, as the A40's profile says

  // The benchmark runs it beside max.
  BenchmarkConfig config;
  config.policies = {"max", "test-floor"};
  config.budgets = {0.5};
  config.job.work_at_max = Duration::hours(6);
  config.start_every = Duration::days(60);
  const auto runs = run_policy_benchmark({trace}, {profile}, config);
  ASSERT_FALSE(runs.empty());
  EXPECT_EQ(runs[1].policy, "test-floor");
  EXPECT_GT(runs[1].slowdown_pct, 0);
}

}  // namespace
}  // namespace chase

// The simulator's cost: one 24 h job on a 5-minute grid (288 frames, plus a day of history
// read first) under each policy, and the offline planner alone. The policy benchmark runs
// thousands of these, so they must stay well under a millisecond.

#include <benchmark/benchmark.h>

#include "control/intensity_integral.hpp"
#include "control/plan/carbon_planner.hpp"
#include "sim/simulator.hpp"

namespace {

using namespace chase;

struct Data {
  IntensityTrace trace = IntensityTrace::load("gb-2020");
  PowerProfile profile = PowerProfile::load("a40-resnet50");
};

const Data& data() {
  static const Data d;
  return d;
}

void simulate(benchmark::State& state, const std::string& policy, const std::string& forecaster = "persistence") {
  const Simulator sim(data().trace, data().profile);
  SimulationSetup setup;
  setup.job.forecaster = forecaster;
  setup.job.work_at_max = Duration::hours(24);
  setup.job.slowdown_budget = 0.025;
  setup.job.frame_length = Duration::minutes(5);
  setup.record_frames = false;
  std::int64_t day = 0;
  for (auto _ : state) {
    // A different day each time (the policies' work depends on the intensity).
    setup.start = data().trace.start() + Duration::days(1 + static_cast<double>(day++ % 300));
    benchmark::DoNotOptimize(sim.run(policy, setup).carbon);
  }
}
BENCHMARK_CAPTURE(simulate, max, std::string("max"))->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(simulate, zeus, std::string("zeus"))->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(simulate, chase, std::string("chase"))->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(simulate, oracle, std::string("oracle"))->Unit(benchmark::kMicrosecond);
// The same with the learned `default` forecaster (what `chase simulate` uses unless told): its
// five models are updated, and scored at every lead up to a day, at each of the 576 frames.
BENCHMARK_CAPTURE(simulate, chase_default_forecaster, std::string("chase"), std::string("default"))
    ->Unit(benchmark::kMicrosecond);

void BM_PlanMinCarbon(benchmark::State& state) {
  const OperatingPoints points(data().profile);
  const IntensityIntegral integral(data().trace);
  std::vector<std::vector<PlanFrame>> days;
  for (int d = 1; d <= 50; ++d) {
    std::vector<PlanFrame> frames;
    const UtcTime start = data().trace.start() + Duration::days(d);
    for (int f = 0; f < 296; ++f) {  // 24 h × 1.025 of 5-minute frames
      const UtcTime from = start + Duration::minutes(5.0 * f);
      frames.push_back({Duration::seconds(300),
                        CarbonIntensity::g_per_kwh(integral.mean(from, from + Duration::minutes(5)))});
    }
    frames.back().duration = Duration::seconds(24 * 3600 * 1.025 - 295 * 300);
    days.push_back(std::move(frames));
  }
  const double work = 24 * 3600 * points.max_limit().rate_per_s;
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(plan_min_carbon(points, days[i++ % days.size()], work).carbon);
}
BENCHMARK(BM_PlanMinCarbon)->Unit(benchmark::kMicrosecond);

}  // namespace

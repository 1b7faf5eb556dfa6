// Cost of one forecaster update (observe one frame + forecast the next) as a training job's
// controller pays it every frame, and of a cached intensity lookup. Figures in BENCHMARKS.md.

#include <benchmark/benchmark.h>

#include <filesystem>

#include "carbon/forecast/backtest.hpp"
#include "carbon/forecast/forecaster.hpp"
#include "carbon/intensity_trace.hpp"
#include "store/sqlite_intensity_cache.hpp"

namespace {

const chase::FrameSeries& gb_frames() {
  static const chase::FrameSeries series = chase::frame_series(chase::IntensityTrace::load("gb-2020"));
  return series;
}

// Arg: frames ahead to forecast. The model is warmed up on 30 days first (every feature live).
void BM_Update(benchmark::State& state, const char* model_name) {
  const auto& samples = gb_frames().frames.samples();
  const auto ahead = static_cast<std::size_t>(state.range(0));
  constexpr std::size_t kWarmup = 30 * 48;
  auto model = chase::make_forecaster(model_name, gb_frames().frame);
  std::size_t i = 0;
  for (; i < kWarmup; ++i) model->observe(samples[i]);
  for (auto _ : state) {
    if (i == samples.size()) {
      state.PauseTiming();
      model = model->fresh();
      for (i = 0; i < kWarmup; ++i) model->observe(samples[i]);
      state.ResumeTiming();
    }
    model->observe(samples[i++]);
    benchmark::DoNotOptimize(model->predict(ahead));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Update, persistence, "persistence")->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Update, seasonal_24h, "seasonal-24h")->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Update, ridge, "ridge")->Arg(1)->Arg(48)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Update, day_ahead, "day-ahead")->Arg(1)->Arg(48)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Update, default_model, "default")->Arg(1)->Arg(48)->Unit(benchmark::kMicrosecond);

void BM_BacktestGbDefault(benchmark::State& state) {
  const auto model = chase::make_forecaster("default", gb_frames().frame);
  for (auto _ : state) {
    benchmark::DoNotOptimize(chase::backtest(*model, gb_frames(), {1}, chase::default_warmup_frames(gb_frames())));
  }
}
BENCHMARK(BM_BacktestGbDefault)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_SqliteCacheHolding(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / "chase-bench-cache.sqlite";
  std::filesystem::remove(path);
  chase::SqliteIntensityCache cache(path);
  std::vector<chase::CachedIntensity> day;
  const auto start = chase::UtcTime::parse_iso8601("2024-01-01T00:00:00Z").value();
  for (int h = 0; h < 24 * 365; ++h) {
    const auto from = start + chase::Duration::hours(h);
    day.push_back({from, from + chase::Duration::hours(1), chase::CarbonIntensity::g_per_kwh(100 + h % 50), start});
  }
  cache.store("bench:DE", day);
  std::int64_t k = 0;
  for (auto _ : state) {
    const auto t = start + chase::Duration::minutes(static_cast<double>((k++ * 7919) % (365 * 24 * 60)));
    benchmark::DoNotOptimize(cache.holding("bench:DE", t));
  }
  std::filesystem::remove(path);
}
BENCHMARK(BM_SqliteCacheHolding)->Unit(benchmark::kMicrosecond);

}  // namespace

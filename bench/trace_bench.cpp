// Cost of reading a year of grid intensity and of looking up / integrating over it: the
// controller does one lookup per frame and the ledger one integration per window.

#include <benchmark/benchmark.h>

#include "carbon/intensity_trace.hpp"
#include "core/embedded_data.hpp"

namespace {

void BM_ParseGbTrace(benchmark::State& state) {
  const auto text = chase::find_embedded("traces/gb-2020.csv").value();
  for (auto _ : state) benchmark::DoNotOptimize(chase::IntensityTrace::parse_csv(text, "gb-2020"));
  state.SetItemsProcessed(state.iterations() * 21980);
}
BENCHMARK(BM_ParseGbTrace)->Unit(benchmark::kMillisecond);

void BM_LookupAt(benchmark::State& state) {
  const auto trace = chase::IntensityTrace::load("gb-2020");
  const auto start = trace.start();
  std::int64_t step = 0;
  for (auto _ : state) {
    const auto t = start + chase::Duration::minutes(static_cast<double>((step++ * 7919) % 500000));
    benchmark::DoNotOptimize(trace.at(t));
  }
}
BENCHMARK(BM_LookupAt);

void BM_MeanOverOneDay(benchmark::State& state) {
  const auto trace = chase::IntensityTrace::load("gb-2020");
  const auto from = trace.start() + chase::Duration::days(100);
  for (auto _ : state) benchmark::DoNotOptimize(trace.mean(from, from + chase::Duration::days(1)));
}
BENCHMARK(BM_MeanOverOneDay);

}  // namespace

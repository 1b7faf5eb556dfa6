#include "carbon/forecast/backtest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chase {

FrameSeries frame_series(const IntensityTrace& trace, std::optional<Duration> frame) {
  const Duration length = frame.value_or(trace.typical_step());
  if (!(length.seconds() > 0)) throw InputError(fmt::format("{}: frame length must be positive", trace.source()));
  IntensityTrace frames = trace.resample(length);
  std::vector<bool> in_gap(frames.size(), false);
  std::size_t gap_frames = 0;
  for (const TraceGap& gap : trace.gaps()) {
    // The last value before a gap is real for one expected step; after that it is held.
    const UtcTime missing_from = gap.from + gap.expected_step;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      const UtcTime a = frames.samples()[i].time;
      const UtcTime b = a + length;
      if (a < gap.to && b > missing_from && !in_gap[i]) {
        in_gap[i] = true;
        ++gap_frames;
      }
    }
  }
  return FrameSeries{std::move(frames), length, std::move(in_gap), gap_frames};
}

std::size_t default_warmup_frames(const FrameSeries& series) {
  const auto week_and_a_day = static_cast<std::size_t>(std::ceil(Duration::days(8) / series.frame));
  return std::min(week_and_a_day, series.frames.size() / 2);
}

BacktestResult backtest(const Forecaster& prototype, const FrameSeries& series, const std::vector<std::size_t>& horizons,
                        std::size_t warmup_frames) {
  if (horizons.empty()) throw InputError("backtest: no horizon given");
  const std::size_t longest = *std::max_element(horizons.begin(), horizons.end());
  if (std::find(horizons.begin(), horizons.end(), std::size_t{0}) != horizons.end()) {
    throw InputError("backtest: horizon must be at least 1 frame");
  }
  const auto& samples = series.frames.samples();
  const std::unique_ptr<Forecaster> model = prototype.fresh();

  struct Sums {
    double ape = 0, abs_error = 0;
    std::size_t points = 0, nonzero = 0, zero = 0;
  };
  std::vector<Sums> sums(horizons.size());
  // Per lead 1..longest, for the mean over leads (a day-ahead schedule uses all of them).
  std::vector<double> lead_ape(longest, 0.0);
  std::vector<std::size_t> lead_points(longest, 0);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    model->observe(samples[i]);
    if (i + 1 < warmup_frames || i + 1 >= samples.size()) continue;
    const std::size_t reach = std::min(longest, samples.size() - 1 - i);
    const std::vector<CarbonIntensity> forecast = model->predict(reach);
    for (std::size_t h = 1; h <= reach; ++h) {
      const double actual = samples[i + h].intensity.g_per_kwh();
      if (series.in_gap[i + h] || !(actual > 0)) continue;
      lead_ape[h - 1] += std::abs(forecast[h - 1].g_per_kwh() - actual) / actual;
      ++lead_points[h - 1];
    }
    for (std::size_t k = 0; k < horizons.size(); ++k) {
      const std::size_t h = horizons[k];
      if (h > reach || series.in_gap[i + h]) continue;
      const double actual = samples[i + h].intensity.g_per_kwh();
      const double error = std::abs(forecast[h - 1].g_per_kwh() - actual);
      Sums& s = sums[k];
      s.abs_error += error;
      ++s.points;
      if (actual > 0) {
        s.ape += error / actual;
        ++s.nonzero;
      } else {
        ++s.zero;
      }
    }
  }
  BacktestResult result{prototype.name(), {}};
  for (std::size_t k = 0; k < horizons.size(); ++k) {
    const Sums& s = sums[k];
    if (s.nonzero == 0) {
      throw InputError(fmt::format("{}: too short to backtest {} frames ahead after a warm-up of {} frames ({} frames "
                                   "of {} min)",
                                   series.frames.source(), horizons[k], warmup_frames, samples.size(),
                                   series.frame.minutes()));
    }
    double mean_over_leads = 0.0;
    for (std::size_t l = 0; l < horizons[k]; ++l) {
      mean_over_leads += lead_points[l] > 0 ? lead_ape[l] / static_cast<double>(lead_points[l]) : 0.0;
    }
    result.horizons.push_back(HorizonScore{horizons[k], s.points, 100.0 * s.ape / static_cast<double>(s.nonzero),
                                           CarbonIntensity::g_per_kwh(s.abs_error / static_cast<double>(s.points)),
                                           s.zero,
                                           100.0 * mean_over_leads / static_cast<double>(horizons[k])});
  }
  return result;
}

}  // namespace chase

#include "carbon/forecast/backtest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

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

namespace {

// The errors of a walk-forward backtest so far: at each asked horizon, and per lead 1..longest
// for the mean over leads (a day-ahead schedule uses all of them).
class ErrorSums {
 public:
  ErrorSums(const std::vector<std::size_t>& horizons, std::size_t longest)
      : horizons_(&horizons), sums_(horizons.size()), lead_ape_(longest, 0.0), lead_points_(longest, 0) {}

  // The forecast of `reach` frames made after frame i, against the frames that followed.
  void add(const FrameSeries& series, std::size_t i, std::size_t reach, const std::vector<CarbonIntensity>& forecast) {
    const auto& samples = series.frames.samples();
    for (std::size_t h = 1; h <= reach; ++h) {
      const double actual = samples[i + h].intensity.g_per_kwh();
      if (series.in_gap[i + h] || !(actual > 0)) continue;
      lead_ape_[h - 1] += std::abs(forecast[h - 1].g_per_kwh() - actual) / actual;
      ++lead_points_[h - 1];
    }
    for (std::size_t k = 0; k < horizons_->size(); ++k) {
      const std::size_t h = (*horizons_)[k];
      if (h > reach || series.in_gap[i + h]) continue;
      const double actual = samples[i + h].intensity.g_per_kwh();
      const double error = std::abs(forecast[h - 1].g_per_kwh() - actual);
      Sums& s = sums_[k];
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

  // The score at the k-th asked horizon; throws InputError when no forecast could be scored.
  // MAPE is undefined (NaN: "—" and null) when every actual value was 0 (a zero-carbon grid);
  // the MAE still says how far off the forecasts were.
  HorizonScore score(std::size_t k, const FrameSeries& series, std::size_t warmup_frames) const {
    const Sums& s = sums_[k];
    const std::size_t horizon = (*horizons_)[k];
    if (s.points == 0) {
      throw InputError(fmt::format("{}: too short to backtest {} frames ahead after a warm-up of {} frames ({} frames "
                                   "of {} min)",
                                   series.frames.source(), horizon, warmup_frames, series.frames.samples().size(),
                                   series.frame.minutes()));
    }
    constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
    double mean_over_leads = 0.0;
    for (std::size_t l = 0; l < horizon; ++l) {
      mean_over_leads += lead_points_[l] > 0 ? lead_ape_[l] / static_cast<double>(lead_points_[l]) : kUndefined;
    }
    const double mape = s.nonzero > 0 ? 100.0 * s.ape / static_cast<double>(s.nonzero) : kUndefined;
    return HorizonScore{horizon, s.points, mape,
                        CarbonIntensity::g_per_kwh(s.abs_error / static_cast<double>(s.points)), s.zero,
                        100.0 * mean_over_leads / static_cast<double>(horizon)};
  }

 private:
  struct Sums {
    double ape = 0, abs_error = 0;
    std::size_t points = 0, nonzero = 0, zero = 0;
  };
  const std::vector<std::size_t>* horizons_;
  std::vector<Sums> sums_;
  std::vector<double> lead_ape_;
  std::vector<std::size_t> lead_points_;
};

}  // namespace

BacktestResult backtest(const Forecaster& prototype, const FrameSeries& series, const std::vector<std::size_t>& horizons,
                        std::size_t warmup_frames) {
  if (horizons.empty()) throw InputError("backtest: no horizon given");
  const std::size_t longest = *std::max_element(horizons.begin(), horizons.end());
  if (std::find(horizons.begin(), horizons.end(), std::size_t{0}) != horizons.end()) {
    throw InputError("backtest: horizon must be at least 1 frame");
  }
  const auto& samples = series.frames.samples();
  const std::unique_ptr<Forecaster> model = prototype.fresh();
  ErrorSums sums(horizons, longest);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    model->observe(samples[i]);
    if (i + 1 < warmup_frames || i + 1 >= samples.size()) continue;
    const std::size_t reach = std::min(longest, samples.size() - 1 - i);
    sums.add(series, i, reach, model->predict(reach));
  }
  BacktestResult result{prototype.name(), {}};
  for (std::size_t k = 0; k < horizons.size(); ++k) result.horizons.push_back(sums.score(k, series, warmup_frames));
  return result;
}

}  // namespace chase

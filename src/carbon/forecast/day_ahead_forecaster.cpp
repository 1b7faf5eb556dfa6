#include "carbon/forecast/day_ahead_forecaster.hpp"

#include <algorithm>
#include <cmath>

#include "carbon/forecast/lag_features.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

// Intensities are logged; a feed reporting 0 g/kWh must not produce -inf.
constexpr double kFloorGPerKwh = 0.1;
// A day-to-day change of log-intensity beyond this (a factor of e^1.5) is not believed.
constexpr double kMaxLogChange = 1.5;
// Ridge strengths (relative to the mean diagonal of the normal matrix), up to strong ones: a
// day ahead, a feed close to a random walk wants the change shrunk hard towards none.
const std::vector<double> kRidges{1e-2, 1e-1, 1.0, 10.0};
constexpr std::size_t kFeatures = 11;

double median_of(std::vector<double> values) {
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

double mean_of(const std::vector<double>& values) {
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

}  // namespace

DayAheadForecaster::DayAheadForecaster(Duration frame)
    : frame_(frame),
      day_(frame.seconds() > 0 ? static_cast<std::size_t>(std::max(1.0, std::round(Duration::days(1) / frame))) : 1),
      history_needed_(7 * day_ + 4),
      // About 60 days of memory: day-ahead errors come in day-long runs, so a regression a day
      // ahead needs more days than a next-frame one to learn as much.
      model_(kFeatures, 1.0 - 1.0 / (60.0 * static_cast<double>(day_)), kRidges),
      recent_ape_(kRidges.size(), 0.0),
      scored_(kRidges.size(), 0),
      pending_x_(day_ + 1),
      pending_change_(day_ + 1),
      pending_valid_(day_ + 1, false) {
  if (!(frame.seconds() > 0)) throw InputError("day-ahead forecaster: frame length must be positive");
}

std::size_t DayAheadForecaster::best_strength() const {
  std::size_t best = 0;
  for (std::size_t k = 1; k < kRidges.size(); ++k) {
    if (scored_[k] > 0 && (scored_[best] == 0 || recent_ape_[k] < recent_ape_[best])) best = k;
  }
  return best;
}

void DayAheadForecaster::features(Eigen::VectorXd& x) const {
  x.resize(static_cast<Eigen::Index>(kFeatures));
  const std::size_t last = z_.size() - 1;
  const double latest = z_[last];
  // The last day and week, every frame down to 5-minute frames, every stride-th of finer ones
  // (carbon/forecast/lag_features.hpp): an update costs the same at any frame length.
  const std::size_t stride = day_sample_stride(day_);
  const std::size_t first_of_day = z_.size() - day_;
  std::vector<double> last_day;  // copied for its median; the means are summed in place, in the same order
  last_day.reserve(day_ / stride + 1);
  for (std::size_t j = first_of_day; j < z_.size(); j += stride) last_day.push_back(z_[j]);
  double week_sum = 0.0;
  std::size_t week_count = 0;
  for (std::size_t j = z_.size() - 7 * day_; j < z_.size(); j += stride, ++week_count) week_sum += z_[j];
  const double week_mean = week_sum / static_cast<double>(week_count);
  // The same time of day as the target (a day ahead) on the last seven days, newest first.
  std::vector<double> same_time(7);
  for (std::size_t k = 0; k < 7; ++k) same_time[k] = z_[last - k * day_];
  const std::vector<double> last_three(same_time.begin(), same_time.begin() + 3);
  x << std::max(mean_abs_change_, 1e-6),  // intercept, on the scale of the target
      mean_of(last_day) - latest, week_mean - latest, median_of(last_day) - latest,
      mean_of(same_time) - latest, median_of(same_time) - latest, mean_of(last_three) - latest,
      same_time[6] - latest,  // a week before the target
      latest - z_[last - 1], latest - z_[last - 3], latest - z_[last - day_];
}

double DayAheadForecaster::level_change() const {
  if (observed_ == 0) return 0.0;
  const std::size_t slot = (observed_ - 1) % (day_ + 1);
  const std::size_t k = best_strength();
  if (!model_.fitted() || scored_[k] == 0 || !pending_valid_[slot]) return 0.0;
  return pending_change_[slot][k];
}

void DayAheadForecaster::observe(const IntensitySample& sample) {
  const double z = std::log(std::max(sample.intensity.g_per_kwh(), kFloorGPerKwh));
  z_.push_back(z);
  const std::size_t now = observed_++;  // absolute index of this frame
  const std::size_t ring = day_ + 1;
  const double memory = 14.0 * static_cast<double>(day_);

  if (now >= day_) {
    const double change = z - z_[z_.size() - 1 - day_];
    ++changes_seen_;
    mean_abs_change_ += std::max(1.0 / static_cast<double>(changes_seen_), 1.0 / memory) * (std::abs(change) - mean_abs_change_);
    // The forecast issued a day ago meets its truth: score it, then learn from it.
    const std::size_t issued = (now - day_) % ring;
    if (pending_valid_[issued]) {
      const std::size_t best = best_strength();
      if (scored_[best] > 0) {
        ++residuals_seen_;
        mean_abs_residual_ += std::max(1.0 / static_cast<double>(residuals_seen_), 1.0 / memory) *
                              (std::abs(change - pending_change_[issued][best]) - mean_abs_residual_);
      }
      for (std::size_t k = 0; k < kRidges.size(); ++k) {
        const double ape = std::abs(std::exp(pending_change_[issued][k] - change) - 1.0);
        recent_ape_[k] = scored_[k] == 0 ? ape : recent_ape_[k] + (ape - recent_ape_[k]) / memory;
        ++scored_[k];
      }
      const double threshold = residuals_seen_ > 0 ? OnlineRidge::huber_threshold(mean_abs_residual_) : mean_abs_change_;
      model_.add(pending_x_[issued], change, std::max(threshold, 1e-9), best);
      pending_valid_[issued] = false;
    }
  }
  if (++since_solve_ >= day_) {
    since_solve_ = 0;
    if (model_.rows() > 0) model_.solve();
  }
  const std::size_t slot = now % ring;
  pending_valid_[slot] = z_.size() >= history_needed_;
  if (pending_valid_[slot]) {
    features(pending_x_[slot]);
    pending_change_[slot].resize(kRidges.size());
    for (std::size_t k = 0; k < kRidges.size(); ++k) {
      pending_change_[slot][k] = std::clamp(model_.predict(pending_x_[slot], k), -kMaxLogChange, kMaxLogChange);
    }
  }
  const std::size_t keep = history_needed_ + day_;
  if (z_.size() > 2 * keep) z_.erase(z_.begin(), z_.end() - static_cast<std::ptrdiff_t>(keep));
}

std::vector<CarbonIntensity> DayAheadForecaster::predict(std::size_t frames) const {
  if (z_.empty()) throw Error("day-ahead forecaster: predict() before any observation");
  const double shift = level_change();
  const std::size_t last = z_.size() - 1;
  std::vector<CarbonIntensity> out;
  out.reserve(frames);
  for (std::size_t h = 1; h <= frames; ++h) {
    // The same time of day on the newest day seen (the latest value until a day has been seen).
    const std::size_t days_back = (h + day_ - 1) / day_;
    const std::size_t back = days_back * day_ - h;  // frames before the latest one
    const double base = back <= last ? z_[last - back] : z_[last];
    out.push_back(CarbonIntensity::g_per_kwh(std::exp(base + shift)));
  }
  return out;
}


ForecasterEntry day_ahead_forecaster_entry() {
  return {"day-ahead", "the same time yesterday, moved by the day-to-day change a robust ridge regression expects",
          false, [](Duration frame, std::size_t) { return std::make_unique<DayAheadForecaster>(frame); }};
}

}  // namespace chase

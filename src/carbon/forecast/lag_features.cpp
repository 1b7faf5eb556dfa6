#include "carbon/forecast/lag_features.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace chase {

std::size_t day_sample_stride(std::size_t frames_per_day) {
  return std::max<std::size_t>(1, (frames_per_day + kMaxDaySamples - 1) / kMaxDaySamples);
}

std::size_t day_sample_stride(Duration frame) {
  const double per_day = frame.seconds() > 0 ? std::round(Duration::days(1) / frame) : 1.0;
  return day_sample_stride(static_cast<std::size_t>(std::max(1.0, per_day)));
}

LagFeatures::LagFeatures(LagFeatureConfig config, std::size_t frames_per_day)
    : config_(config),
      frames_per_day_(frames_per_day >= 2 ? frames_per_day : 0),
      slots_(frames_per_day_ == 0 ? 1 : std::min(frames_per_day_, kMaxSlots)) {
  size_ = config_.diff_lags + kJumpLags + (config_.shape ? kShapeFeatures : 0) + slots_;
  if (frames_per_day_ > 0) {
    size_ += kDailyFeatures + 2 * kBlocks + (config_.shape ? kDailyShapeFeatures : 0);
    if (config_.slot_momentum) size_ += slots_;
  }
  history_needed_ = std::max<std::size_t>(config_.diff_lags, kJumpLags) + 2;
  if (frames_per_day_ > 0) history_needed_ = std::max(history_needed_, 7 * frames_per_day_ + 2);
}

std::size_t LagFeatures::slot_of(UtcTime t) const {
  if (frames_per_day_ == 0) return 0;
  const std::int64_t ms_per_day = 86'400'000;
  const std::int64_t ms_of_day = ((t.epoch_ms() % ms_per_day) + ms_per_day) % ms_per_day;
  return static_cast<std::size_t>(ms_of_day * static_cast<std::int64_t>(slots_) / ms_per_day);
}

void LagFeatures::compute(const std::vector<double>& z, std::size_t target_slot, double jump, double scale,
                          double* out) const {
  assert(z.size() >= history_needed_);
  const Changes d{z, jump};
  std::size_t k = recent_features(d, target_slot, scale, out);
  if (frames_per_day_ > 0) k += daily_features(d, target_slot, out + k);
  assert(k == size_);
}

std::size_t LagFeatures::recent_features(const Changes& d, std::size_t target_slot, double scale, double* out) const {
  const std::size_t n = d.z.size();
  std::size_t k = 0;
  for (std::size_t lag = 1; lag <= config_.diff_lags; ++lag) out[k++] = d.at(n - lag);
  for (std::size_t lag = 1; lag <= kJumpLags; ++lag) {
    const double change = d.at(n - lag);
    out[k++] = change - std::clamp(change, -d.jump, d.jump);
  }
  for (std::size_t s = 0; s < slots_; ++s) out[k++] = s == target_slot ? scale : 0.0;
  if (!config_.shape) return k;
  const double last = d.last();
  out[k++] = std::max(last, 0.0);
  out[k++] = last * std::abs(last) / std::max(d.jump, 1e-12);
  const double before = d.at(n - 2);
  const bool after_rise = before > scale;
  const bool after_fall = before < -scale;
  out[k++] = after_rise ? d.rise_beyond(1) : 0.0;
  out[k++] = after_fall ? d.rise_beyond(1) : 0.0;
  out[k++] = after_rise ? d.fall_beyond(1) : 0.0;
  out[k++] = after_fall ? d.fall_beyond(1) : 0.0;
  out[k++] = d.rise_beyond(2);
  out[k++] = d.fall_beyond(2);
  out[k++] = d.rise_beyond(4);
  out[k++] = d.fall_beyond(4);
  return k;
}

std::size_t LagFeatures::daily_features(const Changes& d, std::size_t target_slot, double* out) const {
  const std::vector<double>& z = d.z;
  const std::size_t n = z.size();
  const std::size_t day = frames_per_day_;
  double analog_mean = 0.0;
  double level_mean = 0.0;
  for (std::size_t back = 1; back <= 7; ++back) {
    analog_mean += d.at(n - back * day);
    level_mean += z[n - back * day];
  }
  analog_mean /= 7.0;
  level_mean /= 7.0;
  // The last day's mean, from at most kMaxDaySamples of its frames (every one down to 5-minute
  // frames; every stride-th of finer ones), so an update costs the same at any frame length.
  const std::size_t stride = day_sample_stride(day);
  double last_day_mean = 0.0;
  std::size_t sampled = 0;
  for (std::size_t j = n - day; j < n; j += stride, ++sampled) last_day_mean += z[j];
  last_day_mean /= static_cast<double>(sampled);
  const double latest = z[n - 1];

  std::size_t k = 0;
  for (const double feature : {d.at(n - day), analog_mean, d.at(n - 7 * day), latest - level_mean, latest - last_day_mean,
                               latest - z[n - day], d.at(n - 1 - day), d.at(n + 1 - day), d.at(n - 2 * day),
                               d.at(n - 2 - day)}) {
    out[k++] = feature;
  }
  const std::size_t block = target_slot * kBlocks / slots_;
  if (config_.shape) {
    const double last = d.last();
    out[k++] = last * (latest - last_day_mean) / std::max(d.jump, 1e-12);
    out[k++] = last * (latest - level_mean) / std::max(d.jump, 1e-12);
    for (std::size_t b = 0; b < kBlocks; ++b) {
      out[k++] = b == block ? d.rise_beyond(1) : 0.0;
      out[k++] = b == block ? d.fall_beyond(1) : 0.0;
    }
  }
  for (std::size_t b = 0; b < kBlocks; ++b) {
    out[k++] = b == block ? d.at(n - 1) : 0.0;
    out[k++] = b == block ? d.at(n - 2) : 0.0;
  }
  if (config_.slot_momentum) {
    for (std::size_t s = 0; s < slots_; ++s) out[k++] = s == target_slot ? d.at(n - 1) : 0.0;
  }
  return k;
}

}  // namespace chase

#include "carbon/forecast/learned_forecaster.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chase {
namespace {

// Intensities are logged; a feed reporting 0 g/kWh must not produce -inf.
constexpr double kFloorGPerKwh = 0.1;
// A predicted change of log-intensity is capped (a factor of e per frame) so that a recursive
// multi-frame forecast cannot run away.
constexpr double kMaxLogChange = 1.0;
// Variants must have been scored on this many frames before they may be chosen.
constexpr std::size_t kMinScored = 24;
// Ridge strengths tried for every feature set (relative to the mean diagonal of the normal
// matrix): smooth feeds want almost none, noisy ones more.
const std::vector<double> kRidges{1e-4, 1e-3, 1e-2};

std::size_t frames_per_day_of(Duration frame) {
  const double per_day = Duration::days(1) / frame;
  return per_day >= 2 ? static_cast<std::size_t>(std::lround(per_day)) : 0;
}

}  // namespace

std::size_t LearnedForecaster::Candidate::best_variant() const {
  std::size_t best = 0;
  for (std::size_t k = 1; k < variants.size(); ++k) {
    if (variants[k].scored > 0 && (variants[best].scored == 0 || variants[k].recent_ape < variants[best].recent_ape)) {
      best = k;
    }
  }
  return best;
}

double LearnedForecaster::Candidate::huber_threshold(double fallback) const {
  return residuals_seen > 0 ? OnlineRidge::huber_threshold(mean_abs_residual) : fallback;
}

LearnedForecaster::LearnedForecaster(Duration frame) : frame_(frame), frames_per_day_(frames_per_day_of(frame)) {
  if (!(frame.seconds() > 0)) throw InputError("ridge forecaster: frame length must be positive");
  solve_every_ = frames_per_day_ > 0 ? frames_per_day_ : 1;
  // About 30 days of memory: enough rows for the features, short enough to follow the seasons.
  const double memory_frames = frames_per_day_ > 0 ? 30.0 * static_cast<double>(frames_per_day_) : 1000.0;
  const double forgetting = 1.0 - 1.0 / memory_frames;
  for (const LagFeatureConfig config : {LagFeatureConfig{3, false, true}, LagFeatureConfig{3, false, false},
                                        LagFeatureConfig{8, true, false}, LagFeatureConfig{24, true, false}}) {
    LagFeatures features(config, frames_per_day_);
    OnlineRidge model(features.size(), forgetting, kRidges);
    candidates_.push_back(Candidate{config, features, std::move(model), std::vector<Variant>(kRidges.size())});
  }
  keep_ = 0;
  for (const auto& c : candidates_) keep_ = std::max(keep_, c.features.history_needed());
}

std::size_t LearnedForecaster::variant_count() const {
  std::size_t n = 0;
  for (const auto& c : candidates_) n += c.variants.size();
  return n;
}

void LearnedForecaster::features_for_next(const Candidate& c, const std::vector<double>& z, UtcTime target,
                                          Eigen::VectorXd& x) const {
  x.resize(static_cast<Eigen::Index>(c.features.size()));
  c.features.compute(z, c.features.slot_of(target), 2.0 * mean_abs_change_, mean_abs_change_, x.data());
}

void LearnedForecaster::observe(const IntensitySample& sample) {
  const double value = std::max(sample.intensity.g_per_kwh(), kFloorGPerKwh);
  const double z = std::log(value);
  if (!z_.empty()) {
    const double change = z - z_.back();
    // Exponentially weighted mean |change| over about a week of frames.
    const double memory = frames_per_day_ > 0 ? 7.0 * static_cast<double>(frames_per_day_) : 50.0;
    ++changes_seen_;
    const double rate = std::max(1.0 / static_cast<double>(changes_seen_), 1.0 / memory);
    mean_abs_change_ += rate * (std::abs(change) - mean_abs_change_);

    for (Candidate& c : candidates_) {
      for (Variant& v : c.variants) {
        if (!v.next_change) continue;
        const double ape = std::abs(std::exp(z_.back() + *v.next_change) - value) / value;
        v.recent_ape = v.scored == 0 ? ape : v.recent_ape + (ape - v.recent_ape) / memory;
        ++v.scored;
      }
      const std::size_t best = c.best_variant();
      if (c.variants[best].next_change) {
        ++c.residuals_seen;
        const double residual_rate = std::max(1.0 / static_cast<double>(c.residuals_seen), 1.0 / memory);
        c.mean_abs_residual += residual_rate * (std::abs(change - *c.variants[best].next_change) - c.mean_abs_residual);
      }
      if (z_.size() >= c.features.history_needed() && mean_abs_change_ > 0) {
        features_for_next(c, z_, sample.time, scratch_x_);
        c.model.add(scratch_x_, change, std::max(c.huber_threshold(mean_abs_change_), 1e-9), best);
      }
    }
  }
  z_.push_back(z);
  const std::size_t index = pushed_++;
  while (!lows_.empty() && lows_.back().second >= z) lows_.pop_back();
  lows_.emplace_back(index, z);
  while (!highs_.empty() && highs_.back().second <= z) highs_.pop_back();
  highs_.emplace_back(index, z);
  while (lows_.front().first + keep_ <= index) lows_.pop_front();
  while (highs_.front().first + keep_ <= index) highs_.pop_front();
  last_time_ = sample.time;
  if (z_.size() > 2 * keep_) z_.erase(z_.begin(), z_.end() - static_cast<std::ptrdiff_t>(keep_));

  if (++since_solve_ >= solve_every_) {
    since_solve_ = 0;
    for (Candidate& c : candidates_) {
      if (c.model.rows() > 0) c.model.solve();
    }
  }
  for (Candidate& c : candidates_) {
    for (Variant& v : c.variants) v.next_change.reset();
    if (!c.model.fitted() || z_.size() < c.features.history_needed()) continue;
    features_for_next(c, z_, last_time_ + frame_, scratch_x_);
    for (std::size_t k = 0; k < c.variants.size(); ++k) {
      c.variants[k].next_change = std::clamp(c.model.predict(scratch_x_, k), -kMaxLogChange, kMaxLogChange);
    }
  }
}

std::optional<LearnedForecaster::Choice> LearnedForecaster::active(bool for_recursion) const {
  std::optional<Choice> best;
  for (const Candidate& c : candidates_) {
    if (for_recursion && c.config.shape) continue;
    for (std::size_t k = 0; k < c.variants.size(); ++k) {
      const Variant& v = c.variants[k];
      if (!v.next_change || v.scored < kMinScored) continue;
      if (!best || v.recent_ape < best->candidate->variants[best->variant].recent_ape) best = Choice{&c, k};
    }
  }
  return best;
}

std::string LearnedForecaster::active_configuration() const {
  const auto choice = active(/*for_recursion=*/false);
  if (!choice) return "warming up";
  const Candidate& c = *choice->candidate;
  return fmt::format("lags={}{}{} ridge={}", c.config.diff_lags, c.config.slot_momentum ? " slot-momentum" : "",
                     c.config.shape ? " shape" : "", c.model.ridge(choice->variant));
}

std::vector<CarbonIntensity> LearnedForecaster::predict(std::size_t frames) const {
  if (z_.empty()) throw Error("ridge forecaster: predict() before any observation");
  std::vector<CarbonIntensity> out;
  out.reserve(frames);
  const auto choice = active(/*for_recursion=*/false);
  if (!choice) {  // not enough history yet: persistence
    out.assign(frames, CarbonIntensity::g_per_kwh(std::exp(z_.back())));
    return out;
  }
  // The next frame comes from the best variant; later frames from the best variant that is
  // safe to feed its own output (no shape inputs), continuing from that first step.
  const double first_change = *choice->candidate->variants[choice->variant].next_change;
  const auto recursive = frames > 1 ? active(/*for_recursion=*/true) : std::nullopt;
  const Candidate& c = recursive ? *recursive->candidate : *choice->candidate;
  const std::size_t variant = recursive ? recursive->variant : choice->variant;
  const std::size_t need = c.features.history_needed();
  // A recursive forecast stays within the range of the history it starts from (widened by a
  // factor of 1.5 each way): feeding a model its own output can otherwise oscillate and grow.
  // That range over keep_ values is kept by observe(); a shorter one is scanned.
  double lowest = lows_.front().second;
  double highest = highs_.front().second;
  if (need != keep_) {
    const auto [low, high] = std::minmax_element(z_.end() - static_cast<std::ptrdiff_t>(need), z_.end());
    lowest = *low;
    highest = *high;
  }
  const double floor_z = lowest - std::log(1.5);
  const double ceiling_z = highest + std::log(1.5);
  // Frames after the next are fed the forecast so far: only they need the history copied.
  std::vector<double> z;
  if (frames > 1) {
    z.reserve(need + frames);
    z.assign(z_.end() - static_cast<std::ptrdiff_t>(need), z_.end());
  }
  Eigen::VectorXd x;
  double latest = z_.back();
  for (std::size_t h = 1; h <= frames; ++h) {
    double change = first_change;
    if (h > 1) {
      features_for_next(c, z, last_time_ + frame_ * static_cast<double>(h), x);
      change = std::clamp(c.model.predict(x, variant), -kMaxLogChange, kMaxLogChange);
    }
    latest = std::clamp(latest + change, floor_z, ceiling_z);
    if (frames > 1) z.push_back(latest);
    out.push_back(CarbonIntensity::g_per_kwh(std::exp(latest)));
  }
  return out;
}


ForecasterEntry ridge_forecaster_entry() {
  return {"ridge", "online robust ridge regression on recent changes, time of day and daily/weekly analogs", false,
          [](Duration frame, std::size_t) { return std::make_unique<LearnedForecaster>(frame); }};
}

}  // namespace chase

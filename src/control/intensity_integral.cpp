#include "control/intensity_integral.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace chase {

IntensityIntegral::IntensityIntegral(const IntensityTrace& trace) : trace_(&trace) { build(0, trace.size() - 1); }

IntensityIntegral::IntensityIntegral(const IntensityTrace& trace, UtcTime from, UtcTime to) : trace_(&trace) {
  const auto clip = [&](UtcTime t) {
    if (t < trace.start()) return std::size_t{0};
    if (!(t < trace.end())) return trace.size() - 1;
    return trace.index_at(t);
  };
  build(clip(from), clip(to));
}

void IntensityIntegral::build(std::size_t first, std::size_t last) {
  const auto& samples = trace_->samples();
  first_ = first;
  start_s_.reserve(last - first + 1);
  cumulative_.reserve(last - first + 2);
  double sum = 0;
  for (std::size_t i = first; i <= last; ++i) {
    start_s_.push_back(samples[i].time.epoch_seconds());
    cumulative_.push_back(sum);
    sum += samples[i].intensity.g_per_kwh() * trace_->step(i).seconds();
  }
  cumulative_.push_back(sum);
  end_s_ = last + 1 < samples.size() ? samples[last + 1].time.epoch_seconds() : trace_->end().epoch_seconds();
}

double IntensityIntegral::cumulative_at(double t_s) const {
  if (t_s < start_s_.front() || t_s > end_s_) {
    throw InputError(fmt::format("{}: {} is outside the trace ({} to {})", trace_->source(),
                                 UtcTime::from_epoch_seconds(t_s).iso8601(),
                                 UtcTime::from_epoch_seconds(start_s_.front()).iso8601(),
                                 UtcTime::from_epoch_seconds(end_s_).iso8601()));
  }
  if (t_s == end_s_) return cumulative_.back();
  const auto after = std::upper_bound(start_s_.begin(), start_s_.end(), t_s);
  const auto i = static_cast<std::size_t>(after - start_s_.begin()) - 1;
  return cumulative_[i] + trace_->samples()[first_ + i].intensity.g_per_kwh() * (t_s - start_s_[i]);
}

double IntensityIntegral::integral(double from_s, double to_s) const {
  return cumulative_at(to_s) - cumulative_at(from_s);
}

double IntensityIntegral::mean(UtcTime from, UtcTime to) const {
  const double from_s = from.epoch_seconds();
  const double to_s = to.epoch_seconds();
  if (!(to_s > from_s)) return trace_->at(from).g_per_kwh();  // an empty interval: the value at its point
  return integral(from_s, to_s) / (to_s - from_s);
}

}  // namespace chase

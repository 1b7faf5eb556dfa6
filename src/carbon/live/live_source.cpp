#include "carbon/live/live_source.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "carbon/static_source.hpp"
#include "core/error.hpp"

namespace chase {

LiveSource::LiveSource(std::unique_ptr<IntensityProvider> provider, IntensityCache& cache,
                       std::optional<RegionPreset> fallback, const Clock& clock, Duration refresh)
    : provider_(std::move(provider)), cache_(cache), fallback_(std::move(fallback)), clock_(clock), refresh_(refresh) {}

std::string LiveSource::name() const { return provider_->name() + ":" + provider_->zone(); }
std::string LiveSource::series() const { return name(); }

std::vector<CachedIntensity> LiveSource::to_cached(const std::vector<ProviderPoint>& points) const {
  std::vector<CachedIntensity> out;
  const UtcTime fetched = clock_.now();
  for (const ProviderPoint& p : points) out.push_back({p.from, p.until, p.intensity, fetched});
  return out;
}

IntensityReading LiveSource::fresh(const CachedIntensity& point, UtcTime t) const {
  IntensityStep step{point.intensity, point.from, point.until, name(), false};
  // A provider's latest value may end before t (feeds lag): it still answers, and holds until
  // the next refresh.
  if (!(t < step.until)) step.until = t + refresh_;
  if (t < step.from) step.from = t;
  return IntensityReading{std::move(step), std::max(Duration::seconds(0), clock_.now() - point.fetched_at)};
}

IntensityReading LiveSource::fall_back(UtcTime t) {
  if (auto last = cache_.last_at_or_before(series(), t)) {
    IntensityStep step{last->intensity, std::min(last->from, t), std::max(t + refresh_, last->until),
                       "cache:" + name(), true};
    return IntensityReading{std::move(step), clock_.now() - last->fetched_at};
  }
  if (fallback_) {
    IntensityReading r = StaticSource(*fallback_, clock_, true).reading_at(t);
    return r;
  }
  throw NetworkError(fmt::format("{}: no value for {} ({}), nothing cached and no static fallback region", name(),
                                 t.iso8601(), last_failure_.value_or("no fetch made")));
}

std::optional<std::string> LiveSource::last_failure() const {
  std::lock_guard lock(mutex_);
  return last_failure_;
}

IntensityReading LiveSource::reading_at(UtcTime t) {
  std::lock_guard lock(mutex_);
  const UtcTime now = clock_.now();
  if (auto cached = cache_.holding(series(), t)) {
    // A past interval does not change once published; the current one is refreshed.
    if (cached->until <= now || now - cached->fetched_at < refresh_) return fresh(*cached, t);
  }
  if (failed_at_ && now - *failed_at_ < refresh_) return fall_back(t);
  try {
    std::vector<ProviderPoint> points;
    const bool recent = t >= now - Duration::hours(1);
    if (recent) {
      points.push_back(provider_->latest());
    } else {
      points = provider_->history(t - Duration::hours(1), t + Duration::hours(1));
    }
    cache_.store(series(), to_cached(points));
    last_failure_.reset();
    failed_at_.reset();
    if (auto hit = cache_.holding(series(), t)) return fresh(*hit, t);
    if (recent && !points.empty()) {
      // The latest value ends before t: the freshest there is.
      return fresh(*cache_.last_at_or_before(series(), points.back().from), t);
    }
    throw NetworkError(fmt::format("{}: the answer holds no value for {}", name(), t.iso8601()));
  } catch (const Error& e) {
    last_failure_ = e.what();
    failed_at_ = now;
    return fall_back(t);
  }
}

std::vector<IntensityReading> LiveSource::history(UtcTime from, UtcTime to) {
  std::lock_guard lock(mutex_);
  if (!(from < to)) throw InputError(fmt::format("{}: empty interval {} to {}", name(), from.iso8601(), to.iso8601()));
  const auto covered = [&](const std::vector<CachedIntensity>& points) {
    if (points.empty() || points.front().from > from) return false;
    for (std::size_t i = 1; i < points.size(); ++i) {
      if (points[i].from != points[i - 1].until) return false;
    }
    return points.back().until >= to;
  };
  const auto readings = [&](const std::vector<CachedIntensity>& points, bool fallback) {
    std::vector<IntensityReading> out;
    const UtcTime now = clock_.now();
    for (const CachedIntensity& p : points) {
      out.push_back({IntensityStep{p.intensity, p.from, p.until, fallback ? "cache:" + name() : name(), fallback},
                     now - p.fetched_at});
    }
    return out;
  };
  std::vector<CachedIntensity> cached = cache_.range(series(), from - Duration::hours(1), to);
  cached.erase(std::remove_if(cached.begin(), cached.end(), [&](const auto& p) { return p.until <= from; }), cached.end());
  if (covered(cached)) return readings(cached, false);
  if (failed_at_ && clock_.now() - *failed_at_ < refresh_) {
    // Down a moment ago: what the cache has, without another timeout.
    if (cached.empty()) throw NetworkError(last_failure_.value_or(name() + ": fetch failed"));
    return readings(cached, true);
  }
  try {
    cache_.store(series(), to_cached(provider_->history(from, to)));
    last_failure_.reset();
    failed_at_.reset();
  } catch (const Error& e) {
    last_failure_ = e.what();
    failed_at_ = clock_.now();
    if (cached.empty()) throw;
    return readings(cached, true);
  }
  cached = cache_.range(series(), from - Duration::hours(1), to);
  cached.erase(std::remove_if(cached.begin(), cached.end(), [&](const auto& p) { return p.until <= from; }), cached.end());
  if (cached.empty()) {
    throw NetworkError(fmt::format("{}: no values between {} and {}", name(), from.iso8601(), to.iso8601()));
  }
  return readings(cached, false);
}

std::vector<ProviderPoint> LiveSource::provider_forecast() {
  std::lock_guard lock(mutex_);
  try {
    std::vector<ProviderPoint> points = provider_->forecast();
    cache_.store(series() + ":forecast", to_cached(points));
    return points;
  } catch (const Error& e) {
    last_failure_ = e.what();
    return {};
  }
}

}  // namespace chase

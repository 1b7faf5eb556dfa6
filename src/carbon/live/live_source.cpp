#include "carbon/live/live_source.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "carbon/intensity_bounds.hpp"
#include "carbon/static_source.hpp"
#include "core/error.hpp"
#include "core/quantity_format.hpp"

namespace chase {
namespace {

// "48.0 h", "25 min": an age in a failure reason.
std::string age_text(Duration d) {
  if (d >= Duration::hours(1)) return fmt::format("{:.1f} h", d.hours());
  return fmt::format("{:.0f} min", d.minutes());
}

// "2 h", "20 min": a bound in a failure reason.
std::string bound_text(Duration d) {
  if (d >= Duration::hours(1)) return fmt::format("{:g} h", d.hours());
  return fmt::format("{:g} min", d.minutes());
}

}  // namespace

LiveSource::LiveSource(std::unique_ptr<IntensityProvider> provider, IntensityCache& cache,
                       std::optional<RegionPreset> fallback, const Clock& clock, Duration refresh)
    : provider_(std::move(provider)), cache_(cache), fallback_(std::move(fallback)), clock_(clock), refresh_(refresh) {}

std::string LiveSource::name() const { return provider_->name() + ":" + provider_->zone(); }
std::string LiveSource::series() const { return name(); }

Duration LiveSource::stale_bound() const { return provider_->period() * static_cast<double>(kStalePeriods); }

std::vector<CachedIntensity> LiveSource::to_cached(const std::vector<ProviderPoint>& points) const {
  std::vector<CachedIntensity> out;
  const UtcTime fetched = clock_.now();
  for (const ProviderPoint& p : points) out.push_back({p.from, p.until, p.intensity, fetched});
  return out;
}

std::optional<std::string> LiveSource::out_of_bounds(UtcTime from, UtcTime until, UtcTime t, const char* what) const {
  const UtcTime now = clock_.now();
  const UtcTime asked = std::min(t, now);  // a value for a later time cannot be expected yet
  const Duration bound = stale_bound();
  if (asked - until > bound) {
    // A time within a refresh of now is a reading of now (a caller reads its clock, then asks).
    if (now - asked < refresh_) {
      return fmt::format("{} ended {} ago (bound {})", what, age_text(now - until), bound_text(bound));
    }
    return fmt::format("{} ended {} before {} (bound {})", what, age_text(asked - until), t.iso8601(), bound_text(bound));
  }
  // Measured values cannot start after now; a clock or feed gone wrong can make them look so.
  if (from - now > bound) {
    return fmt::format("{} starts {} after now, {} (bound {})", what, age_text(from - now), from.iso8601(),
                       bound_text(bound));
  }
  return std::nullopt;
}

std::optional<ProviderHold> LiveSource::hold_in_force(UtcTime now) {
  if (hold_ && hold_->until > now) return hold_;
  // Another process (or another source on this cache) may have been told to come back later.
  hold_ = cache_.hold_at(provider_->name(), now);
  return hold_;
}

template <class Fn>
auto LiveSource::ask(Fn&& call) {
  if (const auto hold = hold_in_force(clock_.now())) throw NetworkError(hold->reason);
  try {
    auto answer = call();
    check_answer(answer);
    return answer;
  } catch (const ProviderHoldOff& e) {
    hold_ = ProviderHold{e.not_before(), e.what()};
    cache_.hold_off(provider_->name(), *hold_);
    throw;
  }
}

void LiveSource::check_answer(const ProviderPoint& point) const {
  // Every provider's values pass the same test as a trace's (carbon/intensity_bounds.hpp): a
  // value no grid can have is a failed fetch, never cached, never priced.
  if (!plausible_intensity(point.intensity.g_per_kwh())) {
    // format_sig: a NaN shows as "—", never as "nan", even inside a reason.
    throw NetworkError(fmt::format("{}: the answer's intensity {} gCO2e/kWh for {} is not within [0, {}]",
                                   provider_->name(), format_sig(point.intensity.g_per_kwh(), 4), point.from.iso8601(),
                                   kMaxPlausibleIntensityGPerKwh));
  }
  if (!(point.from < point.until)) {
    throw NetworkError(fmt::format("{}: the answer's interval {} to {} is empty", provider_->name(),
                                   point.from.iso8601(), point.until.iso8601()));
  }
}

void LiveSource::check_answer(const std::vector<ProviderPoint>& points) const {
  for (const ProviderPoint& p : points) check_answer(p);
}

IntensityReading LiveSource::fresh(const CachedIntensity& point, UtcTime t) const {
  IntensityStep step{point.intensity, point.from, point.until, name(), false};
  // A provider's latest value may end before t (feeds lag, within the bound): it still answers,
  // and holds until the next refresh.
  if (!(t < step.until)) step.until = t + refresh_;
  if (t < step.from) step.from = t;
  return IntensityReading{std::move(step), std::max(Duration::seconds(0), clock_.now() - point.until)};
}

IntensityReading LiveSource::fall_back(UtcTime t) {
  cache_note_.reset();
  if (auto last = cache_.last_at_or_before(series(), t)) {
    cache_note_ = out_of_bounds(last->from, last->until, t, "cached data");
    if (!cache_note_) {
      IntensityStep step{last->intensity, std::min(last->from, t), std::max(t + refresh_, last->until),
                         "cache:" + name(), true};
      return IntensityReading{std::move(step), std::max(Duration::seconds(0), clock_.now() - last->until)};
    }
  }
  if (fallback_) {
    IntensityReading r = StaticSource(*fallback_, clock_, true).reading_at(t);
    return r;
  }
  throw NetworkError(fmt::format("{}: no value for {} ({}), {} and no static fallback region", name(), t.iso8601(),
                                 last_failure_.value_or("no fetch made"), cache_note_.value_or("nothing cached")));
}

std::optional<std::string> LiveSource::last_failure() const {
  std::lock_guard lock(mutex_);
  if (last_failure_ && cache_note_) return *last_failure_ + "; " + *cache_note_;
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
  const bool recent = t >= now - Duration::hours(1);
  if (recent && latest_ && now - latest_->fetched_at < refresh_ && !out_of_bounds(latest_->from, latest_->until, t, "")) {
    // Asked a moment ago: what the provider said then is what it would say now.
    return fresh(*latest_, t);
  }
  try {
    std::vector<ProviderPoint> points;
    if (recent) {
      const ProviderPoint latest = ask([&] { return provider_->latest(); });
      // Data too old (or dated after now) to stand for t is a failed fetch, and not cached.
      if (auto why = out_of_bounds(latest.from, latest.until, t, "newest data")) {
        throw NetworkError(provider_->name() + ": " + *why);
      }
      points.push_back(latest);
      latest_ = to_cached(points).front();
    } else {
      points = ask([&] { return provider_->history(t - Duration::hours(1), t + Duration::hours(1)); });
      std::erase_if(points, [&](const ProviderPoint& p) { return p.from - now > stale_bound(); });
    }
    cache_.store(series(), to_cached(points));
    last_failure_.reset();
    cache_note_.reset();
    failed_at_.reset();
    if (auto hit = cache_.holding(series(), t)) return fresh(*hit, t);
    if (recent) {
      // The latest value ends before t (within the bound): the freshest there is.
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
                     std::max(Duration::seconds(0), now - p.until)});
    }
    // Values of their own intervals, but the newest too far from the end asked for: say so.
    if (!out.empty()) {
      if (auto why = out_of_bounds(points.back().from, points.back().until, to, "newest data")) {
        const std::string note = provider_->name() + ": " + *why;
        if (!last_failure_) {
          last_failure_ = note;
        } else if (last_failure_->find(note) == std::string::npos) {
          *last_failure_ += "; " + note;
        }
      }
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
    std::vector<ProviderPoint> fetched = ask([&] { return provider_->history(from, to); });
    const UtcTime now = clock_.now();
    std::erase_if(fetched, [&](const ProviderPoint& p) { return p.from - now > stale_bound(); });
    cache_.store(series(), to_cached(fetched));
    last_failure_.reset();
    cache_note_.reset();
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
    std::vector<ProviderPoint> points = ask([&] { return provider_->forecast(); });
    cache_.store(series() + ":forecast", to_cached(points));
    return points;
  } catch (const Error& e) {
    last_failure_ = e.what();
    return {};
  }
}

}  // namespace chase

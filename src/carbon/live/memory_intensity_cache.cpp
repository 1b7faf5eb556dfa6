#include <algorithm>

#include "carbon/live/intensity_cache.hpp"

namespace chase {

void MemoryIntensityCache::store(const std::string& series, const std::vector<CachedIntensity>& points) {
  for (const CachedIntensity& p : points) {
    const auto same = std::find_if(rows_.begin(), rows_.end(),
                                   [&](const Row& r) { return r.series == series && r.point.from == p.from; });
    if (same != rows_.end()) {
      same->point = p;
    } else {
      rows_.push_back({series, p});
    }
  }
}

std::optional<CachedIntensity> MemoryIntensityCache::holding(const std::string& series, UtcTime t) {
  for (const Row& r : rows_) {
    if (r.series == series && r.point.from <= t && t < r.point.until) return r.point;
  }
  return std::nullopt;
}

std::optional<CachedIntensity> MemoryIntensityCache::last_at_or_before(const std::string& series, UtcTime t) {
  std::optional<CachedIntensity> best;
  for (const Row& r : rows_) {
    if (r.series == series && r.point.from <= t && (!best || r.point.from > best->from)) best = r.point;
  }
  return best;
}

std::vector<CachedIntensity> MemoryIntensityCache::range(const std::string& series, UtcTime from, UtcTime to) {
  std::vector<CachedIntensity> out;
  for (const Row& r : rows_) {
    if (r.series == series && r.point.from >= from && r.point.from < to) out.push_back(r.point);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.from < b.from; });
  return out;
}

void MemoryIntensityCache::hold_off(const std::string& provider, const ProviderHold& hold) {
  const auto it = holds_.find(provider);
  if (it == holds_.end() || hold.until > it->second.until) holds_[provider] = hold;
}

std::optional<ProviderHold> MemoryIntensityCache::hold_at(const std::string& provider, UtcTime now) {
  const auto it = holds_.find(provider);
  if (it == holds_.end() || !(it->second.until > now)) return std::nullopt;
  return it->second;
}

}  // namespace chase

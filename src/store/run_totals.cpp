#include "store/run_totals.hpp"

#include <algorithm>

namespace chase {
namespace {

// The carbon of `energy` spent evenly from t0 to t1, priced at each step it overlaps.
Mass price_evenly(Energy energy, UtcTime t0, UtcTime t1, const std::vector<PricedStep>& steps) {
  const double span_s = (t1 - t0).seconds();
  if (span_s <= 0) {
    // Two reads at one instant: price at the step holding it, if any.
    for (const PricedStep& s : steps) {
      if (s.from <= t0 && t0 < s.until) return energy * s.intensity;
    }
    return Mass::grams(0);
  }
  Mass carbon = Mass::grams(0);
  for (const PricedStep& s : steps) {
    const UtcTime a = std::max(t0, s.from);
    const UtcTime b = std::min(t1, s.until);
    if (b <= a) continue;
    carbon = carbon + (energy * ((b - a).seconds() / span_s)) * s.intensity;
  }
  return carbon;
}

}  // namespace

RecordedTotals totals_from_samples(const std::vector<PowerSample>& samples, const std::vector<PricedStep>& steps,
                                   int device_count) {
  RecordedTotals out;
  const auto n = static_cast<std::size_t>(std::max(device_count, 0));
  out.device_energy.assign(n, Energy::joules(0));
  out.device_carbon.assign(n, Mass::grams(0));
  std::vector<const PowerSample*> previous(n, nullptr);

  std::vector<const PowerSample*> ordered;
  ordered.reserve(samples.size());
  for (const PowerSample& s : samples) ordered.push_back(&s);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const PowerSample* a, const PowerSample* b) { return a->at < b->at; });

  for (const PowerSample* s : ordered) {
    if (s->device_index < 0 || static_cast<std::size_t>(s->device_index) >= n) continue;
    const auto d = static_cast<std::size_t>(s->device_index);
    if (const PowerSample* p = previous[d]; p != nullptr && s->energy > p->energy) {
      out.device_carbon[d] = out.device_carbon[d] + price_evenly(s->energy - p->energy, p->at, s->at, steps);
    }
    previous[d] = s;
    out.device_energy[d] = s->energy;
    if (!out.last_sample || *out.last_sample < s->at) out.last_sample = s->at;
  }
  for (const Energy& e : out.device_energy) out.energy = out.energy + e;
  if (!steps.empty()) {
    Mass total = Mass::grams(0);
    for (const Mass& m : out.device_carbon) total = total + m;
    out.carbon = total;
  } else {
    out.device_carbon.clear();
  }
  return out;
}

}  // namespace chase

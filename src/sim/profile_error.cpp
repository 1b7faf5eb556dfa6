#include "sim/profile_error.hpp"

#include <fmt/format.h>

#include <vector>

#include "core/error.hpp"

namespace chase {
namespace {

// SplitMix64 (Steele, Lea, Flood 2014): one 64-bit state, a fixed output function.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

}  // namespace

PowerProfile perturbed_profile(const PowerProfile& truth, double max_error, std::uint64_t seed) {
  if (!(max_error >= 0 && max_error < 1)) {
    throw InputError(fmt::format("a profile error of {} is not a fraction in [0, 1) (0.05 = ±5 %)", max_error));
  }
  SplitMix64 random(seed);
  std::vector<ProfilePoint> rows;
  for (const ProfilePoint& p : truth.points()) {
    const double time_factor = 1 + max_error * (2 * random.uniform() - 1);
    const double energy_factor = 1 + max_error * (2 * random.uniform() - 1);
    rows.push_back({p.limit, p.time * time_factor, p.energy * energy_factor});
  }
  return PowerProfile(fmt::format("{}~{:g}%#{}", truth.source(), max_error * 100, seed), std::move(rows));
}

}  // namespace chase

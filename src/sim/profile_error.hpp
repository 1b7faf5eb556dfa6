#pragma once
// A believed profile: the true one with independent multiplicative errors on each row's time
// and energy, the way a single noisy measurement (or a profile taken on another day, another
// node) differs from how the job really runs. Seeded and portable: the same profile, error and
// seed give the same belief on every machine (SplitMix64, not the standard library's
// distributions, whose outputs differ between implementations).

#include <cstdint>

#include "energy/power_profile.hpp"

namespace chase {

// Each row's time and energy times (1 + u) with u uniform in [−max_error, max_error], drawn
// independently per row and field from `seed`. Its source is "<source>~<max_error %>%#<seed>".
// Throws InputError unless 0 ≤ max_error < 1.
PowerProfile perturbed_profile(const PowerProfile& truth, double max_error, std::uint64_t seed);

}  // namespace chase

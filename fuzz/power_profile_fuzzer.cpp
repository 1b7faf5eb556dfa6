// A power-limit profile CSV (`--profile FILE`): PowerProfile::parse_csv, then its Pareto front,
// and its own CSV read back, which must give the same points (to_csv() promises full precision).

#include <cstdlib>

#include "energy/power_profile.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  chase::fuzz::expecting_chase_errors([&] {
    const auto profile = chase::PowerProfile::parse_csv(chase::fuzz::as_text(data, size), "fuzz.csv");
    (void)profile.pareto_front();
    const auto again = chase::PowerProfile::parse_csv(profile.to_csv(), "round-trip.csv");
    if (again.points().size() != profile.points().size()) std::abort();
    for (std::size_t i = 0; i < again.points().size(); ++i) {
      const auto& a = profile.points()[i];
      const auto& b = again.points()[i];
      if (a.limit != b.limit || a.time != b.time || a.energy != b.energy) std::abort();
    }
  });
  return 0;
}

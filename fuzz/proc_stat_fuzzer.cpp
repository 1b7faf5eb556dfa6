// /proc/stat as the estimated CPU device reads it (`--proc-root DIR`): parse_proc_stat, then
// the utilisation between that reading and a fixed one, which must stay within [0, 1].

#include <cstdlib>

#include "energy/proc_stat.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  chase::fuzz::expecting_chase_errors([&] {
    const chase::CpuTimes times = chase::parse_proc_stat(chase::fuzz::as_text(data, size), "fuzz/stat");
    const chase::CpuTimes earlier{10, 100};
    const double share = chase::utilisation_between(earlier, times);
    if (!(share >= 0 && share <= 1)) std::abort();
  });
  return 0;
}

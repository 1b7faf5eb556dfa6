// An intensity trace CSV (`--trace FILE`): IntensityTrace::parse_csv, then what every command
// asks of a trace it accepted (its end, resolution, gaps, mean), which must hold for any
// trace the parser lets through.

#include "carbon/intensity_trace.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  chase::fuzz::expecting_chase_errors([&] {
    const auto trace = chase::IntensityTrace::parse_csv(chase::fuzz::as_text(data, size), "fuzz.csv");
    (void)trace.end().iso8601();
    (void)trace.typical_step();
    (void)trace.gaps();
    (void)trace.sample_mean();
    (void)trace.mean(trace.start(), trace.end());
  });
  return 0;
}

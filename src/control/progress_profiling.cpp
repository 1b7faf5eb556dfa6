#include "control/progress_profiling.hpp"

namespace chase {

std::optional<PowerProfile> profile_from_progress(Profiler& profiler, IterationSource& progress, Pacer& pacer,
                                                  const Clock& clock, Duration poll) {
  std::int64_t seen = progress.read().value_or(0);
  while (!profiler.done()) {
    if (pacer.wait_until(clock.now() + poll)) {
      profiler.abandon();  // control goes on without a profile: back to the job's own limits now
      return std::nullopt;
    }
    const std::int64_t now = progress.read().value_or(seen);
    // Iterations that finished between two polls all end at this poll; the profiler's minimum
    // measuring time keeps that from collapsing a measurement to nothing.
    for (; seen < now && !profiler.done(); ++seen) profiler.on_iteration();
  }
  return profiler.profile();
}

}  // namespace chase

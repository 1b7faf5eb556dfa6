#pragma once
// Just-in-time profiling of a job chase runs as a command: the job reports finished
// iterations through a progress file (or any IterationSource), and every new one is an
// on_iteration() of the profiler.

#include <optional>

#include "control/pacer.hpp"
#include "control/profiler.hpp"
#include "control/iteration_source.hpp"
#include "core/clock.hpp"
#include "energy/power_profile.hpp"

namespace chase {

// Polls `progress` every `poll` until the profiler is done, and returns its profile; nullopt
// when the pacer is stopped first (the job ended or chase was asked to stop). Either way the
// profiler has restored the limits it set once this returns or throws.
std::optional<PowerProfile> profile_from_progress(Profiler& profiler, IterationSource& progress, Pacer& pacer,
                                                  const Clock& clock, Duration poll);

}  // namespace chase

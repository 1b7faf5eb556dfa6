#include "control/frame_loop.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace chase {
namespace {

// Where the warm-up starts: start − history, no more than the frame cap back, no earlier than
// the source's past begins.
UtcTime warm_up_from(FramePlant& plant, UtcTime start, const FrameLoopSettings& settings) {
  Duration history = settings.history;
  try {
    history = std::min(history, plant.nominal_frame(start) * static_cast<double>(settings.max_history_frames));
  } catch (const Error&) {
    // The source has nothing at the start: read what it has before it, uncapped.
  }
  UtcTime from = start - history;
  if (const std::optional<UtcTime> begins = plant.history_begins()) from = std::max(from, *begins);
  return from;
}

// Feeds the forecaster and the policy the frames before the start; true when it read any.
bool warm_up(FramePlant& plant, Forecaster& forecaster, Policy& policy, UtcTime start,
             const FrameLoopSettings& settings) {
  const UtcTime history_from = warm_up_from(plant, start, settings);
  if (!(history_from < start)) return false;
  bool observed = false;
  UtcTime t;
  try {
    t = plant.frame_end(history_from - Duration::milliseconds(1));  // the first boundary at or after it
  } catch (const Error&) {
    t = history_from;
  }
  while (t < start && !plant.stop_requested()) {
    UtcTime until;
    try {
      until = std::min(start, plant.frame_end(t));
    } catch (const Error&) {
      t = t + Duration::hours(1);  // no frame here: look an hour on
      continue;
    }
    if (!(t < until)) break;
    CarbonIntensity actual;
    try {
      actual = plant.mean_intensity(t, until);
    } catch (const Error&) {
      t = until;  // the source cannot price this frame of the past
      continue;
    }
    forecaster.observe({t, actual});
    policy.observe(t, until, actual);
    observed = true;
    t = until;
  }
  return observed;
}

}  // namespace

FrameLoopOutcome run_frame_loop(FramePlant& plant, Forecaster& forecaster, Policy& policy, const PolicyJob& job,
                                const FrameLoopSettings& settings) {
  policy.begin(job);
  bool forecaster_ready = warm_up(plant, forecaster, policy, job.start, settings);

  FrameLoopOutcome outcome;
  UtcTime from = job.start;
  while (true) {
    if (const std::optional<FrameLoopEnd> end = plant.before_frame(from)) {
      outcome.end = *end;
      break;
    }
    FrameDecision decision;
    decision.from = from;
    decision.until = plant.frame_end(from);
    // With no history yet, the value the source publishes now is the best forecast there is.
    decision.predicted = forecaster_ready ? forecaster.predict(1).front() : plant.published(from);
    decision.work_done_units = plant.work_done_units();
    decision.limit = policy.decide({from, decision.until, decision.predicted, decision.work_done_units});
    job.points->at(decision.limit);  // a policy answers with a profiled limit; anything else is a bug worth an error
    const FrameRan ran = plant.run_frame(decision);
    ++outcome.frames;
    policy.measured({from, ran.until, decision.limit, ran.work_units, ran.work_measured, ran.energy_per_gpu});
    forecaster.observe({from, ran.actual});
    policy.observe(from, ran.until, ran.actual);
    forecaster_ready = true;
    from = ran.until;
    if (ran.end) {
      outcome.end = *ran.end;
      break;
    }
  }
  return outcome;
}

}  // namespace chase

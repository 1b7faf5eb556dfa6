// A controlled "training job" as a real process, for the tests of the signal path: runs the
// controller on the wall clock with SIGINT/SIGTERM handled, on a device whose limit lives in a
// file the test can read from outside.
//
//   chase_controller_child STATE_FILE TRACE_FILE WORK_SECONDS FRAME_MS
//
// Exit: 0 when the work is done, 1 on an error (after the limits are restored), or the signal.

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "carbon/forecast/forecaster.hpp"
#include "control/controller.hpp"
#include "control/max_policy.hpp"
#include "trace_feed.hpp"
#include "fake_device.hpp"

int main(int argc, char** argv) {
  using namespace chase;
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s STATE_FILE TRACE_FILE WORK_SECONDS FRAME_MS\n", argv[0]);
    return 2;
  }
  try {
    test::FileLimitGpu gpu(argv[1]);
    const IntensityTrace trace = IntensityTrace::load(argv[2]);
    TraceFeed feed(trace);
    const OperatingPoints points(PowerProfile::load(std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv"));
    const auto forecaster = make_forecaster("persistence", Duration::seconds(1));
    MaxPolicy policy;
    SystemClock clock;
    DecisionLog log;
    Controller controller({&gpu}, points, feed, *forecaster, policy, clock, log);
    ModelledWork work(points);
    ControlSettings settings;
    settings.job.work_at_max = Duration::seconds(std::atof(argv[3]));
    settings.job.frame_length = Duration::milliseconds(std::atof(argv[4]));
    settings.job.history = Duration::seconds(0);
    controller.run_until_signal(settings, work);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "chase: error: %s\n", e.what());
    return 1;
  }
}

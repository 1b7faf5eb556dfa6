#include "energy/metered_command.hpp"

#include "core/error.hpp"

namespace chase {
namespace {

// The child's pid; or, when the command cannot start, nothing, with the reason in `result`.
std::optional<pid_t> start_child(const std::vector<std::string>& argv, const SignalBlock& block,
                                 MeteredCommandResult& result) {
  try {
    return spawn_child(argv, block);
  } catch (const ChildStartError& e) {
    result.start_error = e.what();
    result.child.exit_code = e.exit_code();
    return std::nullopt;
  }
}

}  // namespace

CommandMeter::CommandMeter(std::vector<std::shared_ptr<PowerDevice>> devices, Clock& clock, IntensityFeed* feed,
                           MeterSettings settings)
    : devices_(std::move(devices)), clock_(&clock), feed_(feed), settings_(std::move(settings)) {}

MeteredCommandResult CommandMeter::run(const std::vector<std::string>& argv, CommandCompanion* companion) const {
  if (argv.empty()) throw InputError("no command given to run (put it after --)");
  Monitor monitor(devices_, *clock_, feed_);
  const SignalBlock block;  // before the sampler's thread (and a companion's) starts, so that they inherit the mask
  Sampler sampler(monitor, settings_.interval, settings_.sink);
  monitor.begin(settings_.window);
  MeteredCommandResult result;
  const std::optional<pid_t> pid = start_child(argv, block, result);
  if (pid) {
    if (companion) companion->command_started();
    result.child = wait_for_child(*pid, block);
    if (companion) companion->command_ended();
  }
  sampler.stop();
  result.sampling = {sampler.samples_taken(), sampler.errors(), sampler.last_error()};
  if (pid) result.window = monitor.end(settings_.window);
  return result;
}

}  // namespace chase

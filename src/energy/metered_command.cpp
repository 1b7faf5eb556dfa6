#include "energy/metered_command.hpp"

#include <unistd.h>

#include "core/error.hpp"
#include "core/process_tree.hpp"

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
  // Before the child starts, so that nothing it starts and abandons escapes to init.
  const SubreaperScope subreaper;
  const std::vector<pid_t> own_children = children_of(getpid(), read_process_table());
  const UtcTime started = clock_->now();
  const std::optional<pid_t> pid = start_child(argv, block, result);
  if (pid) {
    if (companion) companion->command_started();
    result.child = wait_for_child(*pid, block);
    result.command_time = clock_->now() - started;
    wait_for_descendants(result.child, block, own_children, settings_.wait_for_descendants);
    if (companion) companion->command_ended();
  }
  sampler.stop();
  result.sampling = {sampler.samples_taken(), sampler.errors(), sampler.last_error()};
  if (pid) result.window = monitor.end(settings_.window);
  return result;
}

}  // namespace chase

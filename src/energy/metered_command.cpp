#include "energy/metered_command.hpp"

#include <fmt/format.h>
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

// Each device's dropped readings so far.
std::vector<std::size_t> implausible_counts(const std::vector<std::shared_ptr<PowerDevice>>& devices) {
  std::vector<std::size_t> counts;
  for (const auto& d : devices) counts.push_back(d->implausible_readings().count);
  return counts;
}

// The devices that dropped readings since `before` was counted; their counts are since then.
std::vector<DeviceImplausibleReadings> implausible_since(const std::vector<std::shared_ptr<PowerDevice>>& devices,
                                                         const std::vector<std::size_t>& before) {
  std::vector<DeviceImplausibleReadings> out;
  for (std::size_t i = 0; i < devices.size(); ++i) {
    ImplausibleReadings r = devices[i]->implausible_readings();
    if (r.count <= before[i]) continue;
    r.count -= before[i];
    out.push_back({devices[i]->id(), devices[i]->name(), std::move(r)});
  }
  return out;
}

}  // namespace

std::string DeviceImplausibleReadings::describe() const {
  std::string line = fmt::format("{} ({}): {} energy reading{} dropped as not physically possible, the first: {}", id,
                                 name, readings.count, readings.count == 1 ? "" : "s", readings.first);
  if (readings.resets > 0) {
    line += fmt::format("; the counter was reset {} time{}, and the energy between the reading before each reset and "
                        "the reset is not counted",
                        readings.resets, readings.resets == 1 ? "" : "s");
  }
  return line;
}

std::size_t SamplingCounts::failed_reads() const {
  std::size_t dropped = 0;
  for (const auto& d : implausible) dropped += d.readings.count;
  const std::size_t accounted = dropped + stopped.size();
  return errors > accounted ? errors - accounted : 0;
}

CommandMeter::CommandMeter(std::vector<std::shared_ptr<PowerDevice>> devices, Clock& clock, IntensityFeed* feed,
                           MeterSettings settings)
    : devices_(std::move(devices)), clock_(&clock), feed_(feed), settings_(std::move(settings)) {}

MeteredCommandResult CommandMeter::run(const std::vector<std::string>& argv, CommandCompanion* companion) const {
  if (argv.empty()) throw InputError("no command given to run (put it after --)");
  const std::vector<std::size_t> implausible_before = implausible_counts(devices_);
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
  // Every device failure up to here was seen by the sampler's last tick; the final read may add some.
  const std::size_t failures_sampled = monitor.device_failures().size();
  if (pid) result.window = monitor.end(settings_.window);
  result.sampling = {sampler.samples_taken(), sampler.errors(), sampler.last_error(),
                     implausible_since(devices_, implausible_before), monitor.device_failures()};
  if (result.sampling.stopped.size() > failures_sampled) {
    result.sampling.errors += result.sampling.stopped.size() - failures_sampled;
    result.sampling.last_error = result.sampling.stopped.back().reason;
  }
  for (const auto& d : result.sampling.implausible) result.sampling.errors += d.readings.count;
  return result;
}

}  // namespace chase

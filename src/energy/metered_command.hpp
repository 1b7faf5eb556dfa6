#pragma once
// A command run as a child process and metered from its start to its end (`chase measure`, and
// the metering under `chase run`): one Monitor window over the devices, a Sampler reading them
// every interval and at each boundary of the intensity feed, and the child started without a
// shell and waited for, with the signals sent to chase forwarded to it (core/child_process.hpp).
//
// The command's work includes what it leaves running when it exits (a launcher's workers,
// `nohup`, daemons): chase is a child subreaper while the command runs, and by default the
// window goes on until every process of the command's tree has ended (signals sent to chase
// are forwarded to them too); the exit status stays the command's own. With
// wait_for_descendants off, the window ends when the command exits and the result says how
// many processes it left running, whose energy from then on is not counted.
//
// Work that runs beside the command (the controller of `chase run`) is a CommandCompanion: it
// starts once the command runs and ends once the command — and, when waited for, everything it
// left running — has ended, before the meter's last read.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/child_process.hpp"
#include "core/clock.hpp"
#include "core/intensity_feed.hpp"
#include "energy/monitor.hpp"
#include "energy/power_device.hpp"
#include "energy/sampler.hpp"

namespace chase {

struct MeterSettings {
  Duration interval = Sampler::kDefaultPeriod;  // the Sampler's period (positive)
  Sampler::Sink sink;                           // sees every sample in order, e.g. a CSV writer; may be empty
  std::string window = "measure";               // the Monitor window's name
  bool wait_for_descendants = true;             // meter what the command leaves running until it ends
};

// A device's readings dropped as not physically possible while the command ran.
struct DeviceImplausibleReadings {
  std::string id;    // "rapl:package-0"
  std::string name;  // "package-0"
  ImplausibleReadings readings;

  // One line for a warning: the device, how many readings were dropped and why the first was,
  // e.g. "rapl:package-0 (package-0): 1 energy reading dropped as not physically possible: ...".
  std::string describe() const;
};

// What the Sampler did while the command ran.
struct SamplingCounts {
  std::size_t samples = 0;
  // Error samples: failed device reads or sink calls, and readings dropped as not physically
  // possible (those in `implausible`); sampling went on after each.
  std::size_t errors = 0;
  std::string last_error;  // the latest failed read's or sink call's message, empty without one
  std::vector<DeviceImplausibleReadings> implausible;  // devices that dropped readings, in device order
  // Devices that stopped answering (each one error here): their energy is that of their last
  // good reading.
  std::vector<DeviceFailure> stopped;

  // The errors that were failed reads or sink calls, other than the devices in `stopped`.
  std::size_t failed_reads() const;
};

struct MeteredCommandResult {
  // Why the command could not start, e.g. "cannot run 'x': command not found"; then there is
  // no window, and child.exit_code is what a shell gives (127 not found, 126 not executable).
  std::optional<std::string> start_error;
  ChildExit child;          // the exit status as a shell reports it, the signals forwarded, and
                            // how many processes the command left running when it exited
  Duration command_time;    // from the start to the command's own exit
  WindowResult window;      // from just before the start to just after the exit (of everything
                            // the command left running, when waited for)
  SamplingCounts sampling;

  bool started() const { return !start_error.has_value(); }
};

// Runs beside a metered command, in threads of its own (the meter's thread waits for the child).
class CommandCompanion {
 public:
  virtual ~CommandCompanion() = default;
  // The command has started; called on the meter's thread, after its signal mask is set, so
  // that threads started here inherit it. Not called when the command could not start.
  virtual void command_started() = 0;
  // The command has exited (and, when waited for, everything it left running); return once the
  // companion's work is over (the meter reads the devices for the last time after this).
  virtual void command_ended() = 0;
};

class CommandMeter {
 public:
  // `clock` and `feed` (null: energy only, no carbon) are borrowed and must outlive the meter.
  CommandMeter(std::vector<std::shared_ptr<PowerDevice>> devices, Clock& clock, IntensityFeed* feed = nullptr,
               MeterSettings settings = {});

  Clock& clock() const { return *clock_; }
  const std::vector<std::shared_ptr<PowerDevice>>& devices() const { return devices_; }

  // Runs `argv` (argv[0] found on PATH) to its end and meters it. A command that cannot start
  // is a result (start_error), not an exception. The forwarded signals and SIGCHLD are blocked
  // in the calling thread while this runs: call it before starting threads that could take
  // them, and one at a time in a process. The calling process is a child subreaper for the
  // call; children it had before are not counted as the command's.
  // Throws InputError for an empty `argv` or a period that is not positive, what the devices
  // throw on their first read, and Error when waiting for the child fails.
  MeteredCommandResult run(const std::vector<std::string>& argv, CommandCompanion* companion = nullptr) const;

 private:
  std::vector<std::shared_ptr<PowerDevice>> devices_;
  Clock* clock_;
  IntensityFeed* feed_;
  MeterSettings settings_;
};

}  // namespace chase

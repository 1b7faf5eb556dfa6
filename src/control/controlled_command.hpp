#pragma once
// A training command run metered (energy/metered_command.hpp) while a ControlSession sets the
// GPUs' power limits in a thread of its own (`chase run`, and the Python integration to come).
// When the command ends, the session is woken at once and stops; it has restored the limits
// before the meter reads the devices for the last time.

#include <string>
#include <vector>

#include "control/control_session.hpp"
#include "energy/metered_command.hpp"

namespace chase {

struct ControlledCommandResult {
  MeteredCommandResult metered;
  // As ControlSession::run returned it (an error of control is in control.error: the command
  // ran on at restored limits); nothing ran when the command could not start.
  ControlSessionResult control;
};

// The session runs on `meter`'s clock, which must be the wall clock (WakeablePacer). `session`
// and `setup` are borrowed for the call. Throws what CommandMeter::run throws.
ControlledCommandResult run_controlled_command(const CommandMeter& meter, const std::vector<std::string>& argv,
                                               ControlSession& session, const ControlSessionSetup& setup);

}  // namespace chase

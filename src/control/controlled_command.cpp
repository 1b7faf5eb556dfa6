#include "control/controlled_command.hpp"

#include <thread>

#include "control/pacer.hpp"

namespace chase {
namespace {

// The control session as the metered command's companion: its thread starts once the command
// runs (inheriting the meter's signal mask) and is stopped and joined once it has exited.
class ControlThread final : public CommandCompanion {
 public:
  ControlThread(ControlSession& session, const ControlSessionSetup& setup, Clock& clock)
      : session_(&session), setup_(&setup), pacer_(clock) {}
  // Also when waiting for the command failed: the session must not outlive the call.
  ~ControlThread() override { command_ended(); }
  ControlThread(const ControlThread&) = delete;
  ControlThread& operator=(const ControlThread&) = delete;

  void command_started() override {
    thread_ = std::thread([this] { result_ = session_->run(*setup_, pacer_); });
  }
  void command_ended() override {
    pacer_.request_stop();
    if (thread_.joinable()) thread_.join();  // the limits are restored once run() has returned
  }
  ControlSessionResult& result() { return result_; }

 private:
  ControlSession* session_;
  const ControlSessionSetup* setup_;
  WakeablePacer pacer_;
  ControlSessionResult result_;
  std::thread thread_;
};

}  // namespace

ControlledCommandResult run_controlled_command(const CommandMeter& meter, const std::vector<std::string>& argv,
                                               ControlSession& session, const ControlSessionSetup& setup) {
  ControlThread control(session, setup, meter.clock());
  ControlledCommandResult result;
  result.metered = meter.run(argv, &control);
  result.control = std::move(control.result());
  return result;
}

}  // namespace chase

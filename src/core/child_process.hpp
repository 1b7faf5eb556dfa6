#pragma once
// Running a command as a child of chase (`chase measure`, `chase run`, and whatever else meters
// or controls a job it starts): no shell (posix_spawnp with a PATH search), the exit status
// passed through as a shell gives it (128 + signal when killed), 127 when the command is not
// found and 126 when it cannot be executed, and SIGINT/SIGTERM/SIGHUP/SIGQUIT sent to chase
// forwarded to the child.

#include <csignal>
#include <string>
#include <sys/types.h>
#include <vector>

#include "core/error.hpp"

namespace chase {

// The command could not be started; exit_code is what a shell would return (127 or 126).
class ChildStartError : public Error {
 public:
  ChildStartError(int exit_code, const std::string& message) : Error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Blocks the forwarded signals and SIGCHLD in the calling thread while it lives, so they queue
// for the wait loop instead of killing chase. Create it before starting any thread: threads
// inherit the mask, so no other thread takes the signals.
class SignalBlock {
 public:
  SignalBlock();
  ~SignalBlock();
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;
  const sigset_t& signals() const { return blocked_; }

 private:
  sigset_t blocked_;
  sigset_t previous_;
};

struct ChildExit {
  int exit_code = 0;                        // as a shell reports it
  std::vector<std::string> forwarded;       // signals passed on to the child, e.g. "SIGTERM"
};

// Throws ChildStartError when the command cannot start, InputError for an empty `argv`. The
// child starts with default signal handling and an empty mask.
pid_t spawn_child(const std::vector<std::string>& argv, const SignalBlock& block);

// Waits for the child, forwarding the blocked signals that another process sent to chase
// (kill, a batch scheduler). Signals from the terminal (Ctrl-C) already reach the child,
// which shares chase's process group, so they are not sent a second time.
ChildExit wait_for_child(pid_t pid, const SignalBlock& block);

}  // namespace chase

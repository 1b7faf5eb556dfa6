#pragma once
// Running a command as a child of chase (`chase measure`, `chase run`, and whatever else meters
// or controls a job it starts): no shell (posix_spawnp with a PATH search), the exit status
// passed through as a shell gives it (128 + signal when killed), 127 when the command is not
// found and 126 when it cannot be executed, and SIGINT/SIGTERM/SIGHUP/SIGQUIT sent to chase
// forwarded to the child.
//
// What the command leaves running when it exits (workers of a launcher, `nohup` and `&` jobs,
// daemons) is its work too: with a SubreaperScope (core/process_tree.hpp) around the run, such
// processes are re-parented to chase, and wait_for_descendants waits for every one of them to
// end, forwarding the same signals to them — or, when told not to wait, counts them.

#include <csignal>
#include <cstddef>
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

// The processes of the command's tree that were still running when the command itself exited.
struct Descendants {
  std::size_t at_exit = 0;  // how many
  bool waited = false;      // chase waited for them all to end; else it left them running
};

struct ChildExit {
  int exit_code = 0;                        // as a shell reports it (the command's own, never a descendant's)
  std::vector<std::string> forwarded;       // signals passed on to the child (and to what it left), e.g. "SIGTERM"
  Descendants descendants;
};

// Throws ChildStartError when the command cannot start, InputError for an empty `argv`. The
// child starts with default signal handling and an empty mask.
pid_t spawn_child(const std::vector<std::string>& argv, const SignalBlock& block);

// Waits for the child, forwarding the blocked signals that another process sent to chase
// (kill, a batch scheduler). Signals from the terminal (Ctrl-C) already reach the child,
// which shares chase's process group, so they are not sent a second time.
ChildExit wait_for_child(pid_t pid, const SignalBlock& block);

// After the child has exited: its descendants still running (chase's children through the
// subreaper, and theirs), leaving out `own_children` (chase's children from before the command
// started) and their subtrees. With `wait`, waits until every one has ended and reaps those
// re-parented to chase, forwarding the blocked signals sent to chase to all of them (a signal
// from the terminal only to those outside chase's process group, which it reached already);
// their forwarded signals are appended to `exit.forwarded`. Without, counts them and returns.
// Throws Error when /proc cannot be read.
void wait_for_descendants(ChildExit& exit, const SignalBlock& block, const std::vector<pid_t>& own_children, bool wait);

}  // namespace chase

#include "core/child_process.hpp"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <optional>

#include "core/process_tree.hpp"

extern char** environ;

namespace chase {
namespace {

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

std::string signal_name(int sig) {
  switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGQUIT: return "SIGQUIT";
    default: return fmt::format("signal {}", sig);
  }
}

// The exit status as a shell shows it; nullopt while the child runs.
std::optional<int> reap(pid_t pid) {
  int status = 0;
  const pid_t got = waitpid(pid, &status, WNOHANG);
  if (got == 0) return std::nullopt;
  if (got < 0) {
    if (errno == EINTR) return std::nullopt;
    throw Error(fmt::format("waiting for the command (pid {}) failed: {}", pid, std::strerror(errno)));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return std::nullopt;  // stopped or continued: still ours to wait for
}

}  // namespace

SignalBlock::SignalBlock() {
  sigemptyset(&blocked_);
  for (int sig : kForwarded) sigaddset(&blocked_, sig);
  sigaddset(&blocked_, SIGCHLD);
  pthread_sigmask(SIG_BLOCK, &blocked_, &previous_);
}

SignalBlock::~SignalBlock() {
  // The child is gone: a signal still queued (a late Ctrl-C) must not kill chase while it
  // reports what it measured.
  const timespec now{0, 0};
  while (sigtimedwait(&blocked_, nullptr, &now) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

pid_t spawn_child(const std::vector<std::string>& argv, const SignalBlock& block) {
  if (argv.empty()) throw InputError("no command given to run (put it after --)");
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &block.signals());
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& a : args) argp.push_back(a.data());
  argp.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argp[0], nullptr, &attr, argp.data(), environ);
  posix_spawnattr_destroy(&attr);
  if (rc == 0) return pid;
  if (rc == ENOENT || rc == ENOTDIR) {
    throw ChildStartError(127, fmt::format("cannot run '{}': command not found", argv[0]));
  }
  if (rc == EACCES || rc == ENOEXEC || rc == EISDIR || rc == EPERM) {
    throw ChildStartError(126, fmt::format("cannot run '{}': {} (not executable)", argv[0], std::strerror(rc)));
  }
  throw ChildStartError(126, fmt::format("cannot run '{}': {}", argv[0], std::strerror(rc)));
}

ChildExit wait_for_child(pid_t pid, const SignalBlock& block) {
  ChildExit result;
  while (true) {
    if (const auto code = reap(pid)) {
      result.exit_code = *code;
      return result;
    }
    // A bounded wait, so that an exit whose SIGCHLD merged with an earlier one is still seen.
    const timespec timeout{0, 200'000'000};
    siginfo_t info{};
    const int sig = sigtimedwait(&block.signals(), &info, &timeout);
    if (sig < 0 || sig == SIGCHLD) continue;
    if (info.si_code == SI_KERNEL) continue;  // from the terminal: the child got it too
    if (kill(pid, sig) == 0) result.forwarded.push_back(signal_name(sig));
  }
}

void wait_for_descendants(ChildExit& exit, const SignalBlock& block, const std::vector<pid_t>& own_children, bool wait) {
  const pid_t self = getpid();
  const pid_t own_group = getpgrp();
  auto tree = [&] { return descendants_of(self, read_process_table(), own_children); };
  // Those re-parented to chase are chase's to reap; the others are their parents'.
  auto reap = [&](const std::vector<ProcessEntry>& processes) {
    for (const auto& p : processes) {
      if (p.parent == self) waitpid(p.pid, nullptr, WNOHANG);
    }
  };
  auto running = [](const std::vector<ProcessEntry>& processes) {
    return static_cast<std::size_t>(
        std::count_if(processes.begin(), processes.end(), [](const ProcessEntry& p) { return !p.ended(); }));
  };
  // /proc is listed before each process is read, so a process that forks and exits meanwhile
  // shows up ended without its new child. Such an ended process, once re-parented to chase, is
  // reaped and the tree read again (its children were re-parented before it ended); a few
  // rounds settle even a launcher chain.
  auto settled = [&](const std::vector<ProcessEntry>& processes) {
    return std::none_of(processes.begin(), processes.end(),
                        [&](const ProcessEntry& p) { return p.ended() && p.parent == self; });
  };
  std::vector<ProcessEntry> left = tree();
  for (int round = 0; round < 10 && !settled(left); ++round) {
    reap(left);
    left = tree();
  }
  exit.descendants = {running(left), wait};
  if (!wait) return;
  while (!left.empty()) {
    const timespec timeout{0, 200'000'000};  // bounded, as in wait_for_child: SIGCHLDs merge
    siginfo_t info{};
    const int sig = sigtimedwait(&block.signals(), &info, &timeout);
    if (sig > 0 && sig != SIGCHLD) {
      bool sent = false;
      for (const auto& p : left) {
        if (p.ended() || (info.si_code == SI_KERNEL && p.group == own_group)) continue;
        sent = kill(p.pid, sig) == 0 || sent;
      }
      if (sent) exit.forwarded.push_back(signal_name(sig));
    }
    reap(left);
    left = tree();
  }
}

}  // namespace chase

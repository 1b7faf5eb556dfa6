#include "control/stop_signals.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace chase {
namespace {

// A signal handler has no context to reach but statics; these belong to the one live
// StopSignals and are only touched by it and by the handler.
std::atomic<int> g_signal{0};
std::atomic<int> g_wake_write{-1};
std::atomic<bool> g_alive{false};
int g_wake_read = -1;
struct sigaction g_previous_int;
struct sigaction g_previous_term;

void on_signal(int signo) {
  const int saved_errno = errno;
  int expected = 0;
  g_signal.compare_exchange_strong(expected, signo);
  const int fd = g_wake_write.load();
  if (fd >= 0) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t ignored = ::write(fd, &byte, 1);
  }
  errno = saved_errno;
}

}  // namespace

StopSignals::StopSignals() {
  bool expected = false;
  if (!g_alive.compare_exchange_strong(expected, true)) throw Error("stop signals: already handled by another owner");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    g_alive = false;
    throw Error(std::string("stop signals: cannot create a pipe: ") + std::strerror(errno));
  }
  g_wake_read = fds[0];
  g_wake_write = fds[1];
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

StopSignals::~StopSignals() {
  if (!restored_) {
    sigaction(SIGINT, &g_previous_int, nullptr);
    sigaction(SIGTERM, &g_previous_term, nullptr);
  }
  const int write_fd = g_wake_write.exchange(-1);
  ::close(write_fd);
  ::close(g_wake_read);
  g_wake_read = -1;
  g_alive = false;
}

bool StopSignals::stop_requested() const { return g_signal.load() != 0; }

std::optional<int> StopSignals::signal() const {
  const int s = g_signal.load();
  return s != 0 ? std::optional<int>(s) : std::nullopt;
}

bool StopSignals::wait_for(Duration timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(std::max(0.0, timeout.seconds()));
  while (!stop_requested()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{g_wake_read, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 60'000)));
    if (ready > 0) {
      char drain[16];
      while (::read(g_wake_read, drain, sizeof drain) > 0) {
      }
    }
  }
  return true;
}

void StopSignals::reraise() {
  const int s = g_signal.load();
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
  restored_ = true;
  if (s == 0) return;
  // If the previous disposition was our own default, the process ends here with the signal.
  ::raise(s);
}

}  // namespace chase

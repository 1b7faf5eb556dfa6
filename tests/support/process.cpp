#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace chase::test {
namespace {

void check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(std::string(what) + ": " + std::strerror(rc == -1 ? errno : rc));
}

// This process's environment with `extra` added or replacing entries of the same name.
// A fake NVML state file is one machine's GPUs: the records of the limits a chase holds
// (limits/abandoned_limits.hpp) go beside it unless the test names their place, so that tests
// running at once on different fake machines never see each other's records. Without one, they
// go to a test folder: never /run/chase.
std::vector<std::string> environment_with(std::map<std::string, std::string> extra) {
  if (extra.count("CHASE_LIMIT_RECORDS_DIR") == 0) {
    if (const auto state = extra.find("CHASE_FAKE_NVML_STATE"); state != extra.end()) {
      extra["CHASE_LIMIT_RECORDS_DIR"] = state->second + ".limit-records";
    } else if (std::getenv("CHASE_LIMIT_RECORDS_DIR") == nullptr) {
      extra["CHASE_LIMIT_RECORDS_DIR"] = "/tmp/chase-test-limit-records";
    }
  }
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    if (extra.count(entry.substr(0, entry.find('='))) == 0) env.push_back(entry);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// posix_spawnp with `extra_env` added to this environment; returns the spawn's error code.
int spawn_with_env(pid_t& pid, const std::vector<std::string>& argv, const posix_spawn_file_actions_t& actions,
                   const std::map<std::string, std::string>& extra_env) {
  std::vector<std::string> env_strings = environment_with(extra_env);
  std::vector<char*> envp = pointers(env_strings);
  std::vector<std::string> args = argv;
  std::vector<char*> argp = pointers(args);
  return posix_spawnp(&pid, argp[0], &actions, nullptr, argp.data(), envp.data());
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_text,
                          const std::map<std::string, std::string>& extra_env) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  check(pipe2(in_pipe, O_CLOEXEC), "pipe");
  check(pipe2(out_pipe, O_CLOEXEC), "pipe");
  check(pipe2(err_pipe, O_CLOEXEC), "pipe");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);

  pid_t pid = 0;
  const int rc = spawn_with_env(pid, argv, actions, extra_env);
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  check(rc, "posix_spawn");

  ProcessResult result;
  std::size_t written = 0;
  if (stdin_text.empty()) {
    close(in_pipe[1]);
    in_pipe[1] = -1;
  }
  pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {in_pipe[1], POLLOUT, 0}};
  int open_reads = 2;
  char buffer[65536];
  while (open_reads > 0) {
    const nfds_t n = in_pipe[1] >= 0 ? 3 : 2;
    if (poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("poll failed");
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP))) {
        const ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
        if (got > 0) {
          (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(got));
        } else {
          close(fds[i].fd);
          fds[i].fd = -1;
          --open_reads;
        }
      }
    }
    if (in_pipe[1] >= 0 && (fds[2].revents & (POLLOUT | POLLERR))) {
      const ssize_t put = write(in_pipe[1], stdin_text.data() + written, stdin_text.size() - written);
      if (put > 0) written += static_cast<std::size_t>(put);
      if (put <= 0 || written == stdin_text.size()) {
        close(in_pipe[1]);
        in_pipe[1] = -1;
      }
    }
  }
  if (in_pipe[1] >= 0) close(in_pipe[1]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

pid_t start_process(const std::vector<std::string>& argv, const std::string& stdout_path, const std::string& stderr_path,
                    const std::map<std::string, std::string>& extra_env) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!stdout_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  if (!stderr_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  pid_t pid = 0;
  const int rc = spawn_with_env(pid, argv, actions, extra_env);
  posix_spawn_file_actions_destroy(&actions);
  check(rc, "posix_spawn");
  return pid;
}

}  // namespace chase::test

#pragma once
// chased as a real process on the fake NVML library for tests: started with a fixture and the
// fake's state file (shared by every process, so the test sees from outside what chased set),
// its socket waited for, stopped with a signal. Also the fake GPUs' limits as the state file
// holds them, and polling for a condition.

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase::test {

inline const std::string kA40 = "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6";
inline const std::string kV100 = "GPU-1b6c0a8e-33f5-2e97-77d4-ab5ff0c4e2d1";

// True once `condition` holds; false after `limit` (the tests' one bound on time, where the
// issue asks for one, or a generous wait for a process to start).
inline bool within(std::chrono::milliseconds limit, const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

inline bool eventually(const std::function<bool()>& condition) { return within(std::chrono::seconds(30), condition); }

struct FakeGpus {
  std::filesystem::path state;
  std::string fixture = std::string(CHASE_FIXTURES_DIR) + "/nvml/two-gpus.json";

  std::map<std::string, std::string> env(const std::string& with_fixture = "") const {
    return {{"CHASE_FAKE_NVML_FIXTURE", with_fixture.empty() ? fixture : with_fixture},
            {"CHASE_FAKE_NVML_STATE", state.string()},
            {"CHASE_NVML_LIBRARY", CHASE_FAKE_NVML}};
  }
  // The GPU's limit in mW as the fake's state file holds it; -1 before it exists.
  long limit_mw(const std::string& uuid) const {
    std::ifstream in(state);
    if (!in) return -1;
    try {
      return nlohmann::json::parse(in)["power_limit_mw"][uuid].get<long>();
    } catch (const nlohmann::json::exception&) {
      return -1;  // caught mid-rename
    }
  }
  std::vector<long> history(const std::string& uuid) const {
    std::ifstream in(state);
    if (!in) return {};
    try {
      return nlohmann::json::parse(in)["set_history_mw"][uuid].get<std::vector<long>>();
    } catch (const nlohmann::json::exception&) {
      return {};
    }
  }
};

class Chased {
 public:
  Chased(const TempDir& dir, const FakeGpus& gpus, std::vector<std::string> extra = {})
      : socket_(dir.path() / "chased.sock"), state_dir_(dir.path() / "state"), log_(dir.path() / "chased.log"),
        gpus_(gpus), extra_(std::move(extra)) {
    start();
  }
  ~Chased() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Chased(const Chased&) = delete;
  Chased& operator=(const Chased&) = delete;

  void start() {
    std::error_code ignored;
    std::filesystem::remove(socket_, ignored);
    std::vector<std::string> argv{CHASED_BINARY, "--socket", socket_.string(), "--state-dir", state_dir_.string(),
                                  "--nvml-library", CHASE_FAKE_NVML};
    argv.insert(argv.end(), extra_.begin(), extra_.end());
    pid_ = start_process(argv, "", log_.string(), gpus_.env());
    ready_ = eventually([&] { return std::filesystem::exists(socket_) || exited(); });
  }
  // Sends `signal` and waits; returns the wait status.
  int stop(int signal) {
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  bool exited() {
    int status = 0;
    if (pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return true;
    }
    return pid_ <= 0;
  }
  bool ready() const { return ready_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& socket() const { return socket_; }
  const std::filesystem::path& state_dir() const { return state_dir_; }
  std::string log() const {
    std::ifstream in(log_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // The daemon's open descriptors (/proc/PID/fd).
  std::size_t open_fds() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(fmt_path("fd"))) ++n;
    return n;
  }
  // Resident memory in kB (/proc/PID/status VmRSS).
  long rss_kb() const {
    std::ifstream in(fmt_path("status"));
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
  }

 private:
  std::filesystem::path fmt_path(const std::string& leaf) const {
    return std::filesystem::path("/proc") / std::to_string(pid_) / leaf;
  }

  std::filesystem::path socket_;
  std::filesystem::path state_dir_;
  std::filesystem::path log_;
  const FakeGpus& gpus_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
  bool ready_ = false;
};

}  // namespace chase::test

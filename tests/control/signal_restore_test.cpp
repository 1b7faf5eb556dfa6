// The power limit is restored on every way a controlled process can end: the work is done, an
// error, SIGTERM, SIGINT — tested against a real child process (controller_child.cpp) whose
// device keeps its limit in a file.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "support/temp_dir.hpp"

extern char** environ;

namespace chase {
namespace {

struct Child {
  pid_t pid = -1;
  int status = 0;
};

Child spawn(const std::vector<std::string>& args, const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  Child child;
  const int rc = posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed");
  return child;
}

int wait_for(Child& child) {
  waitpid(child.pid, &child.status, 0);
  return child.status;
}

double limit_in(const std::filesystem::path& state) {
  std::ifstream in(state);
  double w = -1;
  in >> w;
  return w;
}

bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// A flat trace around now, one sample a second, ending `seconds_ahead` from now.
std::filesystem::path write_trace(const test::TempDir& dir, int seconds_ahead) {
  const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::string text = "timestamp,intensity_g_per_kwh\n";
  for (long long t = now_s - 60; t < now_s + seconds_ahead; ++t) text += std::to_string(t) + ",200\n";
  return dir.write("trace.csv", text);
}

std::string history_of(const std::filesystem::path& state) {
  std::ifstream in(state.string() + ".history");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct ChildRun {
  test::TempDir dir;
  std::filesystem::path state = dir.write("limit", "250\n");
  std::filesystem::path log = dir.path() / "stderr";
  Child start(int seconds_ahead, const std::string& work_seconds) {
    return spawn({CHASE_CONTROLLER_CHILD, state.string(), write_trace(dir, seconds_ahead).string(), work_seconds, "100"},
                 log.string());
  }
  std::string err() const {
    std::ifstream in(log);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

TEST(SignalRestore, SigtermRestoresTheLimitAndTheProcessEndsWithTheSignal) {
  ChildRun run;
  Child child = run.start(3600, "3600");
  ASSERT_TRUE(eventually([&] { return limit_in(run.state) == 300; })) << run.err();  // max policy took over
  kill(child.pid, SIGTERM);
  const int status = wait_for(child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status << ": " << run.err();
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_EQ(history_of(run.state), "300\n250\n");
  EXPECT_DOUBLE_EQ(limit_in(run.state), 250);
}

TEST(SignalRestore, SigintToo) {
  ChildRun run;
  Child child = run.start(3600, "3600");
  ASSERT_TRUE(eventually([&] { return limit_in(run.state) == 300; })) << run.err();
  kill(child.pid, SIGINT);
  const int status = wait_for(child);
  ASSERT_TRUE(WIFSIGNALED(status)) << run.err();
  EXPECT_EQ(WTERMSIG(status), SIGINT);
  EXPECT_DOUBLE_EQ(limit_in(run.state), 250);
}

TEST(SignalRestore, NormalEndRestoresTheLimit) {
  ChildRun run;
  Child child = run.start(3600, "0.5");  // half a second of work at 300 W
  const int status = wait_for(child);
  ASSERT_TRUE(WIFEXITED(status)) << run.err();
  EXPECT_EQ(WEXITSTATUS(status), 0) << run.err();
  EXPECT_EQ(history_of(run.state), "300\n250\n");
  EXPECT_DOUBLE_EQ(limit_in(run.state), 250);
}

TEST(SignalRestore, AnErrorMidRunRestoresTheLimit) {
  ChildRun run;
  Child child = run.start(2, "3600");  // the trace ends in two seconds, long before the work
  const int status = wait_for(child);
  ASSERT_TRUE(WIFEXITED(status)) << run.err();
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(run.err().find("chase: error:"), std::string::npos) << run.err();
  EXPECT_NE(run.err().find("outside the trace"), std::string::npos) << run.err();
  EXPECT_EQ(history_of(run.state), "300\n250\n");
  EXPECT_DOUBLE_EQ(limit_in(run.state), 250);
}

}  // namespace
}  // namespace chase

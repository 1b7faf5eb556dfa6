// Children started without a shell: the exit status as a shell gives it, 127 and 126 when the
// command cannot start, and a signal sent to the waiting process passed on to the child.

#include "core/child_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

int exit_code_of(const std::vector<std::string>& argv) {
  const SignalBlock block;
  return wait_for_child(spawn_child(argv, block), block).exit_code;
}

TEST(ChildProcess, ExitStatusAsAShellGivesIt) {
  EXPECT_EQ(exit_code_of({"true"}), 0);
  EXPECT_EQ(exit_code_of({"sh", "-c", "exit 7"}), 7);
  EXPECT_EQ(exit_code_of({"sh", "-c", "kill -TERM $$"}), 128 + SIGTERM);
}

TEST(ChildProcess, ACommandThatCannotStartSaysWhyWithTheShellsCode) {
  const SignalBlock block;
  try {
    spawn_child({"chase-test-no-such-command"}, block);
    FAIL();
  } catch (const ChildStartError& e) {
    EXPECT_EQ(e.exit_code(), 127);
    EXPECT_STREQ(e.what(), "cannot run 'chase-test-no-such-command': command not found");
  }
  test::TempDir dir;
  const auto script = dir.write("script.sh", "exit 0\n");  // not executable
  try {
    spawn_child({script.string()}, block);
    FAIL();
  } catch (const ChildStartError& e) {
    EXPECT_EQ(e.exit_code(), 126);
  }
  EXPECT_THROW(spawn_child({}, block), InputError);
}

TEST(ChildProcess, ASignalSentToTheWaitingProcessIsForwarded) {
  const SignalBlock block;
  const pid_t pid = spawn_child({"sleep", "30"}, block);
  // Blocked in this thread (and queued for the wait loop): it does not end the test process.
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  const ChildExit child = wait_for_child(pid, block);
  EXPECT_EQ(child.exit_code, 128 + SIGTERM);
  EXPECT_EQ(child.forwarded, std::vector<std::string>{"SIGTERM"});
}

}  // namespace
}  // namespace chase

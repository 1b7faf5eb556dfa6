// Children started without a shell: the exit status as a shell gives it, 127 and 126 when the
// command cannot start, and a signal sent to the waiting process passed on to the child.

#include "core/child_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/process_tree.hpp"
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

// A command that starts a worker and exits: with chase as a child subreaper the worker is
// re-parented to it, counted, waited for, and sent the signals chase gets — while the exit
// status stays the command's own.
TEST(ChildProcess, WhatTheChildLeftRunningIsWaitedForAndGetsTheSignals) {
  const SignalBlock block;
  const SubreaperScope subreaper;
  const std::vector<pid_t> own = children_of(getpid(), read_process_table());
  const pid_t pid = spawn_child({"sh", "-c", "sleep 30 & exit 4"}, block);
  ChildExit exit = wait_for_child(pid, block);
  EXPECT_EQ(exit.exit_code, 4);
  // The worker is ours now (its parent exited): it is in our tree, not init's.
  const auto left = descendants_of(getpid(), read_process_table(), own);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].parent, getpid());
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);  // queued for the wait loop, which passes it on
  wait_for_descendants(exit, block, own, /*wait=*/true);
  EXPECT_EQ(exit.descendants.at_exit, 1u);
  EXPECT_TRUE(exit.descendants.waited);
  EXPECT_EQ(exit.forwarded, std::vector<std::string>{"SIGTERM"});
  EXPECT_EQ(exit.exit_code, 4);
  EXPECT_TRUE(descendants_of(getpid(), read_process_table(), own).empty());  // ended and reaped
}

TEST(ChildProcess, NotWaitingCountsWhatIsLeftAndReturns) {
  const SignalBlock block;
  const SubreaperScope subreaper;
  const std::vector<pid_t> own = children_of(getpid(), read_process_table());
  ChildExit exit = wait_for_child(spawn_child({"sh", "-c", "sleep 30 & exit 0"}, block), block);
  wait_for_descendants(exit, block, own, /*wait=*/false);
  EXPECT_EQ(exit.descendants.at_exit, 1u);
  EXPECT_FALSE(exit.descendants.waited);
  const auto left = descendants_of(getpid(), read_process_table(), own);
  ASSERT_EQ(left.size(), 1u);
  ASSERT_EQ(kill(left[0].pid, SIGKILL), 0);  // the test's own clean-up
  waitpid(left[0].pid, nullptr, 0);
}

TEST(ProcessTree, DescendantsFollowParentsAndLeaveExcludedSubtreesOut) {
  const std::vector<ProcessEntry> table{{10, 1, 10, 'S'}, {11, 10, 10, 'S'}, {12, 11, 10, 'Z'},
                                        {13, 10, 13, 'R'}, {14, 13, 13, 'S'}, {20, 1, 20, 'S'}};
  std::vector<pid_t> pids;
  for (const auto& p : descendants_of(10, table)) pids.push_back(p.pid);
  std::sort(pids.begin(), pids.end());
  EXPECT_EQ(pids, (std::vector<pid_t>{11, 12, 13, 14}));
  EXPECT_EQ(descendants_of(10, table, {13}).size(), 2u);  // 11 and its ended child 12
  EXPECT_TRUE(table[2].ended());
  EXPECT_EQ(children_of(10, table), (std::vector<pid_t>{11, 13}));
  // This process is in the real table, with its parent.
  const auto real = read_process_table();
  const auto self = std::find_if(real.begin(), real.end(), [](const ProcessEntry& p) { return p.pid == getpid(); });
  ASSERT_NE(self, real.end());
  EXPECT_EQ(self->parent, getppid());
  EXPECT_EQ(self->group, getpgrp());
}

}  // namespace
}  // namespace chase

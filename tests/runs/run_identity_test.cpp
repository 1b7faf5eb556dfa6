// A run's identity: the job context kept from the environment, and a process recognised by pid,
// start time and boot (a fake /proc tree as the seam).

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/process_identity.hpp"
#include "runs/run_identity.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

TEST(RunIdentity, KeepsSlurmTorchrunAndCudaVariablesOnly) {
  const std::map<std::string, std::string> vars = {{"SLURM_JOB_ID", "4711"}, {"RANK", "3"},   {"WORLD_SIZE", "8"},
                                                   {"LOCAL_RANK", "1"},      {"HOME", "/h"},  {"CUDA_VISIBLE_DEVICES", "0,1"},
                                                   {"API_KEY", "secret"}};
  const auto context = job_context([&](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
  const std::map<std::string, std::string> expected = {{"CUDA_VISIBLE_DEVICES", "0,1"}, {"LOCAL_RANK", "1"},
                                                       {"RANK", "3"}, {"SLURM_JOB_ID", "4711"}, {"WORLD_SIZE", "8"}};
  EXPECT_EQ(context, expected);
}

TEST(RunIdentity, ThisProcessIsRunningAndAReusedPidIsNot) {
  const ProcessIdentity self = this_process();
  EXPECT_EQ(self.pid, ::getpid());
  EXPECT_GT(self.start_ticks, 0);
  EXPECT_FALSE(self.boot_id.empty());
  EXPECT_TRUE(is_running(self));
  ProcessIdentity reused = self;
  reused.start_ticks += 1;  // same pid, another process
  EXPECT_FALSE(is_running(reused));
  ProcessIdentity other_boot = self;
  other_boot.boot_id = "another-boot";
  EXPECT_FALSE(is_running(other_boot));
}

TEST(RunIdentity, ReadsStartTimeAfterACommandNameWithSpacesAndParentheses) {
  test::TempDir proc;
  // Field 22 (starttime) is 98765; the command name holds ") (" to trip a naive split.
  proc.write("321/stat", "321 (my (odd) name) S 1 321 321 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 98765 1000 10\n");
  proc.write("sys/kernel/random/boot_id", "boot-x\n");
  EXPECT_EQ(process_start_ticks(321, proc.path()), 98765);
  EXPECT_FALSE(process_start_ticks(322, proc.path()));
  EXPECT_TRUE(is_running(ProcessIdentity{321, 98765, "boot-x"}, proc.path()));
  EXPECT_FALSE(is_running(ProcessIdentity{321, 98765, "boot-y"}, proc.path()));
}

}  // namespace
}  // namespace chase

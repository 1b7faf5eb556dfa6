#include "control/progress_profiling.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "control/progress_file.hpp"
#include "core/error.hpp"
#include "fake_device.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::FakeGpu;

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

TEST(ProgressFile, ReadsTheLastCountAndWaitsForAFileToAppear) {
  test::TempDir dir;
  ProgressFile progress(dir.path() / "progress");
  EXPECT_FALSE(progress.read().has_value());  // the job has not written yet
  write(progress.path(), "");
  EXPECT_FALSE(progress.read().has_value());  // caught while it rewrites the file
  write(progress.path(), "12\n");
  EXPECT_EQ(progress.read(), 12);
  write(progress.path(), "13\n14\n15\n");  // a line appended per iteration
  EXPECT_EQ(progress.read(), 15);
}

TEST(ProgressFile, RejectsWhatIsNotAGrowingCount) {
  test::TempDir dir;
  ProgressFile progress(dir.path() / "progress");
  const std::string where = "progress file " + progress.path().string() + ":1: ";
  write(progress.path(), "20\n");
  EXPECT_EQ(progress.read(), 20);
  write(progress.path(), "19\n");
  try {
    progress.read();
    FAIL() << "a count going back was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), where + "the iteration count went back from 20 to 19");
  }
  for (const char* bad : {"loss=0.3\n", "-1\n", "2.5\n"}) {
    write(progress.path(), bad);
    try {
      progress.read();
      FAIL() << bad;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(where + "\""), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("\" is not a count of completed iterations"), std::string::npos) << e.what();
    }
  }
}

TEST(ProgressFile, ReadsWhatWindowsToolsWrite) {
  test::TempDir dir;
  ProgressFile progress(dir.path() / "progress");
  write(progress.path(), std::string("\xFF\xFE" "7\0\r\0\n\0", 8));  // PowerShell 5: `echo 7 > progress`
  EXPECT_EQ(progress.read(), 7);
  write(progress.path(), "\xEF\xBB\xBF" "8\r\n9\r\n");  // Notepad: a BOM and CRLF
  EXPECT_EQ(progress.read(), 9);
  write(progress.path(), "10\r11\r");  // lone CRs
  EXPECT_EQ(progress.read(), 11);
  write(progress.path(), std::string("12\n\0\0", 5));
  try {
    progress.read();
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "progress file " + progress.path().string() +
                                         ":2: looks like a binary file, not text: a NUL byte");
  }
  write(progress.path(), "12\n13\nabc\n");
  try {
    progress.read();
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "progress file " + progress.path().string() + ":3: \"abc\" is not a count of completed iterations");
  }
}

// A job on a GPU that behaves like the fixture profile; it finishes one iteration between two
// polls of the progress file and writes the count.
class TrainingPacer final : public Pacer {
 public:
  TrainingPacer(std::filesystem::path progress, int stop_after_polls = -1)
      : progress_(std::move(progress)), stop_after_(stop_after_polls) {}
  bool stop_requested() const override { return polls_ == stop_after_; }
  bool wait_until(UtcTime) override {
    if (++polls_ == stop_after_) return true;
    const ProfilePoint& p = truth.at_limit(gpu.power_limit());
    clock.advance(p.time);
    gpu.add_energy(p.energy);
    write(progress_, std::to_string(++iterations_) + "\n");
    return false;
  }

  PowerProfile truth = PowerProfile::load(std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv");
  ManualClock clock{UtcTime::parse_iso8601_or_throw("2021-01-01T00:00:00Z", "test")};
  FakeGpu gpu{Power::watts(300)};

 private:
  std::filesystem::path progress_;
  int stop_after_;
  int polls_ = 0;
  int iterations_ = 0;
};

ProfilerOptions fixture_limits() {
  ProfilerOptions options;
  options.warmup_iterations = 2;
  options.measure_iterations = 4;
  options.limits = {Power::watts(300), Power::watts(200), Power::watts(100)};
  return options;
}

TEST(ProfileFromProgress, EveryNewIterationIsOneOfTheProfilers) {
  test::TempDir dir;
  TrainingPacer job(dir.path() / "progress");
  Profiler profiler({&job.gpu}, job.clock, fixture_limits());
  ProgressFile progress(dir.path() / "progress");
  const auto profile = profile_from_progress(profiler, progress, job, job.clock, Duration::milliseconds(100));
  ASSERT_TRUE(profile.has_value());
  ASSERT_EQ(profile->points().size(), 3u);
  for (const ProfilePoint& p : profile->points()) {
    const ProfilePoint& truth = job.truth.at_limit(p.limit);
    EXPECT_NEAR(p.time.seconds(), truth.time.seconds(), 1e-3) << p.limit.watts();
    EXPECT_NEAR(p.energy.joules(), truth.energy.joules(), 1e-9) << p.limit.watts();
  }
  EXPECT_EQ(job.gpu.history, (std::vector<Power>{Power::watts(300), Power::watts(200), Power::watts(100),
                                                 Power::watts(300)}));
}

TEST(ProfileFromProgress, AStopBeforeTheEndRestoresTheLimitAtOnce) {
  test::TempDir dir;
  TrainingPacer job(dir.path() / "progress", /*stop_after_polls=*/9);  // during the 200 W step
  Profiler profiler({&job.gpu}, job.clock, fixture_limits());
  ProgressFile progress(dir.path() / "progress");
  EXPECT_FALSE(profile_from_progress(profiler, progress, job, job.clock, Duration::milliseconds(100)).has_value());
  EXPECT_EQ(job.gpu.power_limit(), Power::watts(300));
  EXPECT_EQ(job.gpu.history, (std::vector<Power>{Power::watts(300), Power::watts(200), Power::watts(300)}));
}

}  // namespace
}  // namespace chase

#include "core/data_file.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "core/embedded_data.hpp"
#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

TEST(DataFile, BundledFilesMatchTheDataFolder) {
  for (const char* name : {"traces/gb-2020.csv", "gpu-profiles/a40-resnet50.csv", "presets/models.toml"}) {
    const auto bundled = find_embedded(name);
    ASSERT_TRUE(bundled) << name;
    const LoadedText on_disk = read_text_file(std::string(CHASE_SOURCE_DIR) + "/data/" + name);
    EXPECT_EQ(*bundled, on_disk.content) << name;
  }
}

TEST(DataFile, ArgumentResolvesToFileThenBundledName) {
  chase::test::TempDir dir;
  const auto path = dir.write("mine.csv", "x\n1\n");
  EXPECT_EQ(load_data_argument(path.string(), "traces", ".csv").content, "x\n1\n");
  const LoadedText bundled = load_data_argument("fr-2020", "traces", ".csv");
  EXPECT_EQ(bundled.source, "bundled:traces/fr-2020.csv");
  EXPECT_EQ(bundled.content.substr(0, 9), "timestamp");
}

TEST(DataFile, UnknownArgumentListsBundledNames) {
  try {
    load_data_argument("atlantis", "traces", ".csv");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "'atlantis': no such file, and not a bundled name (bundled: bpa-2022, ercot-2022, fr-2020, gb-2020)");
  }
  EXPECT_THROW(read_text_file("/nonexistent/x.csv"), InputError);
}

// A FIFO with no writer: refused after the bounded wait, naming the path (the test's own TIMEOUT
// bounds it if the read blocked instead).
TEST(DataFile, AFifoThatNothingWritesToIsRefusedAfterAShortWait) {
  chase::test::TempDir dir;
  const auto fifo = dir.path() / "trace.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto started = std::chrono::steady_clock::now();
  try {
    read_text_file(fifo);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + fifo.string() +
                                         ": is a FIFO (named pipe) that nothing is writing to (waited 2 s); start its "
                                         "writer first, or give a regular file");
  }
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_LT(waited, 10.0);
  // load_data_argument reads through the same reader.
  EXPECT_THROW(load_data_argument(fifo.string(), "traces", ".csv"), InputError);
}

// A FIFO with a writer is read to its end: one already writing (process substitution), one that
// opens it a moment after chase does, and one that writes in pieces.
TEST(DataFile, AFifoWithAWriterIsReadToItsEnd) {
  chase::test::TempDir dir;
  const auto fifo = dir.path() / "trace.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const int delay_ms : {0, 300}) {
    SCOPED_TRACE(delay_ms);
    std::thread writer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      const int fd = ::open(fifo.c_str(), O_WRONLY);
      ASSERT_GE(fd, 0);
      for (const char* piece : {"timestamp,intensity\n", "2020-01-01T00:00Z,100\n"}) {
        ASSERT_EQ(::write(fd, piece, std::strlen(piece)), static_cast<ssize_t>(std::strlen(piece)));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      ::close(fd);
    });
    const LoadedText text = read_text_file(fifo);
    writer.join();
    EXPECT_EQ(text.content, "timestamp,intensity\n2020-01-01T00:00Z,100\n");
    EXPECT_EQ(text.source, fifo.string());
  }
}

TEST(DataFile, AMissingFileIsNothingOnlyWhereAskedFor) {
  chase::test::TempDir dir;
  EXPECT_FALSE(read_text_file_if_exists(dir.path() / "nope"));
  EXPECT_EQ(read_text_file_if_exists(dir.write("yes", "5\n"))->content, "5\n");
  try {
    read_text_file(dir.path() / "nope");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + (dir.path() / "nope").string() + ": No such file or directory");
  }
  try {
    read_text_file(dir.path());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + dir.path().string() + ": is a directory");
  }
}

}  // namespace
}  // namespace chase

#include "core/output_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) out.insert(entry.path().filename().string());
  return out;
}

TEST(OutputFile, AnEarlierFileIsReplacedOnlyByFinish) {
  test::TempDir dir;
  const auto path = dir.write("out.csv", "earlier\n");
  {
    OutputFile file(path);
    file.write("new,");
    file.write("rows\n");
    EXPECT_EQ(read(path), "earlier\n");  // the rows are in the .partial file until finish()
    EXPECT_EQ(names_in(dir.path()).size(), 2u);
    file.finish();
  }
  EXPECT_EQ(read(path), "new,rows\n");
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out.csv"});
}

TEST(OutputFile, WithoutFinishTheEarlierFileStaysAndNothingIsLeftBeside) {
  test::TempDir dir;
  const auto path = dir.write("out.csv", "earlier\n");
  {
    OutputFile file(path);
    file.write("half a run\n");
  }
  EXPECT_EQ(read(path), "earlier\n");
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out.csv"});
  {
    OutputFile file(dir.path() / "new.csv");  // nothing there before: nothing there after
  }
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out.csv"});
}

TEST(OutputFile, AReplacedFileKeepsItsPermissions) {
  test::TempDir dir;
  const auto path = dir.write("out.csv", "earlier\n");
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  OutputFile file(path);
  file.write("x\n");
  file.finish();
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
}

// Truncate writes the target itself, at once (a file read while it grows); check() refuses what
// the constructor would, creating nothing.
TEST(OutputFile, TruncateWritesTheTargetAsItGoesAndCheckCreatesNothing) {
  test::TempDir dir;
  const auto path = dir.write("series.csv", "earlier\n");
  OutputFile::check(path);
  OutputFile::check(dir.path() / "new.csv");
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"series.csv"});
  EXPECT_THROW(OutputFile::check(dir.path() / "missing" / "x.csv"), InputError);
  EXPECT_THROW(OutputFile::check(dir.path()), InputError);
  OutputFile file(path, OutputFile::Mode::truncate);
  EXPECT_EQ(read(path), "");
  file.write("row 1\n");
  EXPECT_EQ(read(path), "row 1\n");
  file.finish();
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"series.csv"});
}

TEST(OutputFile, AppendKeepsWhatIsThere) {
  test::TempDir dir;
  const auto path = dir.write("log.csv", "header\n");
  for (const char* row : {"a\n", "b\n"}) {
    OutputFile file(path, OutputFile::Mode::append);
    file.write(row);
    EXPECT_EQ(read(path).back(), '\n');  // appended at once, no .partial
    file.finish();
  }
  EXPECT_EQ(read(path), "header\na\nb\n");
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"log.csv"});
}

// /dev/full accepts the open and fails every write with ENOSPC: the error is that write's, kept
// until finish(), and later writes are skipped.
TEST(OutputFile, AFailedWriteIsKeptAndReportedByFinishWithItsOwnOsError) {
  for (const auto mode : {OutputFile::Mode::replace, OutputFile::Mode::truncate, OutputFile::Mode::append}) {
    OutputFile file("/dev/full", mode);
    errno = EACCES;  // a stale errno must not be what is reported
    file.write("row\n");
    ASSERT_TRUE(file.failure());
    EXPECT_EQ(*file.failure(), "cannot write /dev/full: No space left on device");
    file.write("another\n");
    errno = EPERM;
    try {
      file.finish();
      FAIL();
    } catch (const Error& e) {
      EXPECT_STREQ(e.what(), "cannot write /dev/full: No space left on device");
    }
  }
}

TEST(OutputFile, ADeviceIsWrittenInPlace) {
  OutputFile file("/dev/null");
  file.write("discarded\n");
  EXPECT_NO_THROW(file.finish());
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST(OutputFile, WhatCannotBeOpenedIsAnInputErrorAtOnce) {
  test::TempDir dir;
  try {
    OutputFile file(dir.path() / "missing" / "out.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + (dir.path() / "missing" / "out.csv").string() +
                                         ": No such file or directory");
  }
  try {
    OutputFile file(dir.path());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + dir.path().string() + ": is a directory");
  }
  // A FIFO that nothing reads would block the open: refused instead.
  const auto fifo = dir.path() / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const auto mode : {OutputFile::Mode::replace, OutputFile::Mode::truncate, OutputFile::Mode::append}) {
    try {
      OutputFile file(fifo, mode);
      FAIL();
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), "cannot write " + fifo.string() + ": a FIFO (named pipe) that nothing reads");
    }
  }
}

}  // namespace
}  // namespace chase

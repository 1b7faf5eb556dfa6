// A path checked before anything is written to it: a file in a folder that exists.

#include "core/writable_file.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

TEST(WritableFile, AFileInAFolderThatExistsPasses) {
  test::TempDir dir;
  EXPECT_NO_THROW(require_writable_file(dir.path() / "new.csv", "chase"));
  EXPECT_NO_THROW(require_writable_file(dir.write("old.csv", "x"), "chase"));
  EXPECT_NO_THROW(require_writable_file("relative-here.csv", "chase"));
}

TEST(WritableFile, AFolderOrAMissingFolderIsAnInputError) {
  test::TempDir dir;
  try {
    require_writable_file(dir.path(), "the job");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "'" + dir.path().string() + "' is not a file the job can write (a folder, or in a missing one)");
  }
  EXPECT_THROW(require_writable_file(dir.path() / "missing" / "p.csv", "chase"), InputError);
}

}  // namespace
}  // namespace chase

// chased's state file: what is written is read back; no file is nothing held; a file that is
// not one is an error naming it.

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "limits/limit_state_file.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

TEST(LimitStateFile, WhatIsWrittenIsReadBack) {
  test::TempDir dir;
  const auto file = dir.path() / "limits.json";
  EXPECT_TRUE(read_limit_state(file).empty());
  write_limit_state(file, {{2, "GPU-a", Power::watts(300), {77, 1001, 1764558000}}});
  const auto held = read_limit_state(file);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].index, 2u);
  EXPECT_EQ(held[0].uuid, "GPU-a");
  EXPECT_DOUBLE_EQ(held[0].original.watts(), 300);
  EXPECT_EQ(held[0].holder.pid, 77);
  EXPECT_EQ(held[0].holder.uid, 1001u);
  EXPECT_EQ(held[0].holder.since_unix, 1764558000);
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  write_limit_state(file, {});
  EXPECT_TRUE(read_limit_state(file).empty());
}

TEST(LimitStateFile, ACorruptFileIsAnErrorNamingIt) {
  test::TempDir dir;
  const auto file = dir.write("limits.json", "{\"held\":[{\"index\":0}]}");
  try {
    read_limit_state(file);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not a chased state file"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_limit_state(dir.write("b.json", "garbage")), InputError);
}

}  // namespace
}  // namespace chase

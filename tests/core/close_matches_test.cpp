#include "core/close_matches.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

TEST(CloseMatches, FoldsCaseAndBlanks) {
  EXPECT_EQ(fold_name("  United   Kingdom "), "united kingdom");
  EXPECT_EQ(fold_name("US-CAL-CISO"), "us-cal-ciso");
  EXPECT_EQ(fold_name(""), "");
}

TEST(CloseMatches, EditDistance) {
  EXPECT_EQ(edit_distance("germny", "germany"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("same", "same"), 0u);
}

TEST(CloseMatches, PrefixesFirstThenNearNames) {
  const std::vector<std::string> names{"germany", "de", "united kingdom", "united states", "ukraine", "gm"};
  const auto united = close_matches("United", names);
  ASSERT_EQ(united.size(), 2u);
  EXPECT_EQ(united[0].index, 2u);
  EXPECT_TRUE(united[0].prefix);
  EXPECT_EQ(united[1].index, 3u);
  const auto germny = close_matches("germny", names);
  ASSERT_EQ(germny.size(), 1u);
  EXPECT_EQ(germny[0].index, 0u);
  EXPECT_EQ(germny[0].distance, 1u);
  // A short code is not "near" a word twice its length.
  EXPECT_TRUE(close_matches("mars", {"ma"}).empty());
  EXPECT_TRUE(close_matches("atlantis", names).empty());
}

}  // namespace
}  // namespace chase

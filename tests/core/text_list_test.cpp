#include "core/text_list.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

using Items = std::vector<std::string>;

TEST(TextList, SplitsAtEverySeparatorInOrder) {
  EXPECT_EQ(split_list("gb-2020,fr-2020,ercot-2022", ',', EmptyItems::kDrop), (Items{"gb-2020", "fr-2020", "ercot-2022"}));
  EXPECT_EQ(split_list("0;0.025", ';', EmptyItems::kKeep), (Items{"0", "0.025"}));
  EXPECT_EQ(split_list("one", ',', EmptyItems::kKeep), (Items{"one"}));
  // Items are not trimmed: a space is part of the name.
  EXPECT_EQ(split_list(" a, b", ',', EmptyItems::kDrop), (Items{" a", " b"}));
}

TEST(TextList, KeepsEmptyItemsSoThatTheyCanBeReported) {
  EXPECT_EQ(split_list("", ',', EmptyItems::kKeep), (Items{""}));
  EXPECT_EQ(split_list("0,,0.1,", ',', EmptyItems::kKeep), (Items{"0", "", "0.1", ""}));
  EXPECT_EQ(split_list(",", ',', EmptyItems::kKeep), (Items{"", ""}));
}

TEST(TextList, DropsEmptyItemsWhereAStrayCommaIsHarmless) {
  EXPECT_EQ(split_list("", ',', EmptyItems::kDrop), Items{});
  EXPECT_EQ(split_list(",gb,,fr,", ',', EmptyItems::kDrop), (Items{"gb", "fr"}));
  EXPECT_EQ(split_list(",,", ',', EmptyItems::kDrop), Items{});
}

TEST(TextList, ARepeatedItemIsRefusedNamingIt) {
  EXPECT_NO_THROW(refuse_repeated_items({}));
  EXPECT_NO_THROW(refuse_repeated_items({"gb-2020", "fr-2020", "GB-2020"}));
  try {
    refuse_repeated_items({"max", "chase", "zeus", "chase"});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "'chase' is listed twice");
  }
  EXPECT_THROW(refuse_repeated_items({"", ""}), InputError);
}

}  // namespace
}  // namespace chase

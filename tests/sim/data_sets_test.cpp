#include "sim/data_sets.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

TEST(DataSets, ShortNamesDropTheFolderThePrefixAndTheExtension) {
  EXPECT_EQ(data_name("bundled:traces/gb-2020.csv"), "gb-2020");
  EXPECT_EQ(data_name("/data/gb-2020.csv"), "gb-2020");
  EXPECT_EQ(data_name("gb-2020"), "gb-2020");
}

TEST(DataSets, LoadsAListInOrderSkippingEmptyItems) {
  const auto traces = load_traces("fr-2020,,gb-2020,");
  ASSERT_EQ(traces.size(), 2u);
  EXPECT_EQ(data_name(traces[0].source()), "fr-2020");
  EXPECT_EQ(data_name(traces[1].source()), "gb-2020");
  EXPECT_FALSE(load_profiles("bundled").empty());
}

TEST(DataSets, NothingNamedOrAnEmptyFolderIsAnInputError) {
  EXPECT_THROW(load_traces(","), InputError);
  test::TempDir dir;
  EXPECT_THROW(load_profiles(dir.path().string()), InputError);
  EXPECT_THROW(load_traces("no-such-trace"), InputError);
}

}  // namespace
}  // namespace chase

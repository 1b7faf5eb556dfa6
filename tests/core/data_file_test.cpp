#include "core/data_file.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace chase

// CUDA_VISIBLE_DEVICES as CUDA reads it: indices, full and partial GPU UUIDs, and the rule that
// the first entry naming no GPU ends the list.

#include "energy/cuda_visible_devices.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

const std::vector<GpuIdentity> kGpus = {
    {0, "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6"},
    {1, "GPU-1b6c0a8e-33f5-2e97-77d4-ab5ff0c4e2d1"},
    {2, "GPU-1b7d0000-0000-4000-8000-000000000002"},
    {3, "GPU-5eed0003-0000-4000-8000-000000000003"},
};

std::vector<unsigned> pick(std::optional<std::string_view> value) {
  return select_visible_gpus(value, kGpus).indices;
}

TEST(CudaVisibleDevices, UnsetMeansAll) {
  EXPECT_EQ(pick(std::nullopt), (std::vector<unsigned>{0, 1, 2, 3}));
  EXPECT_TRUE(select_visible_gpus(std::nullopt, kGpus).note.empty());
}

TEST(CudaVisibleDevices, IndicesInTheGivenOrder) {
  EXPECT_EQ(pick("2,0"), (std::vector<unsigned>{2, 0}));
  EXPECT_EQ(pick(" 3 , 1 "), (std::vector<unsigned>{3, 1}));
}

TEST(CudaVisibleDevices, UuidsWholeOrByUniquePrefix) {
  EXPECT_EQ(pick("GPU-1b6c0a8e-33f5-2e97-77d4-ab5ff0c4e2d1"), (std::vector<unsigned>{1}));
  EXPECT_EQ(pick("GPU-8932f937,GPU-5eed"), (std::vector<unsigned>{0, 3}));
  EXPECT_EQ(pick("gpu-8932F937"), (std::vector<unsigned>{0}));
  EXPECT_EQ(pick("1,GPU-5eed0003-0000-4000-8000-000000000003"), (std::vector<unsigned>{1, 3}));
}

TEST(CudaVisibleDevices, TheFirstBadEntryEndsTheList) {
  const VisibleGpus bad_index = select_visible_gpus("1,7,0", kGpus);
  EXPECT_EQ(bad_index.indices, (std::vector<unsigned>{1}));
  EXPECT_EQ(bad_index.note, "CUDA_VISIBLE_DEVICES='1,7,0': index 7 is not a GPU (there are 4), so it and every entry "
                            "after it are ignored, as CUDA does");
  // "GPU-1b" fits GPU 1 and GPU 2.
  const VisibleGpus ambiguous = select_visible_gpus("0,GPU-1b,2", kGpus);
  EXPECT_EQ(ambiguous.indices, (std::vector<unsigned>{0}));
  EXPECT_NE(ambiguous.note.find("'GPU-1b' matches 2 GPU UUIDs"), std::string::npos);
  EXPECT_EQ(pick("GPU-ffff"), std::vector<unsigned>{});
  EXPECT_EQ(pick("-1"), std::vector<unsigned>{});
  EXPECT_EQ(pick("0,0,1"), (std::vector<unsigned>{0}));
  EXPECT_NE(select_visible_gpus("0,0", kGpus).note.find("names GPU 0 a second time"), std::string::npos);
  EXPECT_NE(select_visible_gpus("MIG-abc", kGpus).note.find("MIG instance"), std::string::npos);
}

TEST(CudaVisibleDevices, EmptyHidesEveryGpu) {
  const VisibleGpus none = select_visible_gpus("", kGpus);
  EXPECT_TRUE(none.indices.empty());
  EXPECT_EQ(none.note, "CUDA_VISIBLE_DEVICES is empty: no GPU is visible");
}

}  // namespace
}  // namespace chase

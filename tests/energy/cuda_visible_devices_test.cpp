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

// An empty entry (a trailing comma from a launch script) names no GPU: CUDA stops there, and the
// entry is listed as such (it crashed discovery before).
TEST(CudaVisibleDevices, AnEmptyEntryEndsTheListAndIsNamed) {
  for (const char* value : {"0,", "0,,1", ",", ",0", ",,"}) {
    SCOPED_TRACE(value);
    const VisibleGpus v = select_visible_gpus(value, kGpus);
    EXPECT_EQ(v.indices, std::string_view(value).front() == '0' ? std::vector<unsigned>{0} : std::vector<unsigned>{});
    ASSERT_FALSE(v.unmatched.empty());
    EXPECT_EQ(v.unmatched.front().entry, "(empty entry)");
  }
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
}

TEST(CudaVisibleDevices, EveryGpuLeftOutAndEveryEntryNamingNoneSaysWhy) {
  const VisibleGpus v = select_visible_gpus("1,7,0,9", kGpus);
  EXPECT_EQ(v.indices, (std::vector<unsigned>{1}));
  ASSERT_EQ(v.hidden.size(), 3u);
  EXPECT_EQ(v.hidden.at(0), "CUDA_VISIBLE_DEVICES='1,7,0,9': '0' comes after '7', which names no GPU, so CUDA ignores it");
  EXPECT_EQ(v.hidden.at(2), "not in CUDA_VISIBLE_DEVICES='1,7,0,9'");
  EXPECT_EQ(v.hidden.at(3), "not in CUDA_VISIBLE_DEVICES='1,7,0,9'");
  ASSERT_EQ(v.unmatched.size(), 2u);
  EXPECT_EQ(v.unmatched[0].entry, "7");
  EXPECT_EQ(v.unmatched[0].kind, "no such GPU");
  EXPECT_EQ(v.unmatched[0].reason, v.note);
  EXPECT_EQ(v.unmatched[1].entry, "9");
  EXPECT_EQ(v.unmatched[1].kind, "ignored");

  const VisibleGpus none = select_visible_gpus("-1", kGpus);
  EXPECT_TRUE(none.indices.empty());
  EXPECT_EQ(none.hidden.size(), 4u);
  EXPECT_NE(none.note.find("'-1' is a negative index, which names no GPU"), std::string::npos) << none.note;
  EXPECT_EQ(none.hidden.at(0), none.note);
  EXPECT_TRUE(none.unmatched.empty());  // "-1" names no device of its own
  EXPECT_EQ(select_visible_gpus("", kGpus).hidden.at(3), "CUDA_VISIBLE_DEVICES is empty: no GPU is visible");
  EXPECT_TRUE(select_visible_gpus(std::nullopt, kGpus).hidden.empty());
  // A GPU whose UUID NVML would not give is still named by its index.
  EXPECT_EQ(select_visible_gpus("1", {{0, "GPU-8932"}, {1, ""}}).indices, std::vector<unsigned>{1});
}

// MIG instances are valid entries for CUDA (parsing goes on after them) but are not metered:
// NVML has no per-instance energy, and the parent's counter counts every instance.
TEST(CudaVisibleDevices, MigInstancesAreNamedNotMeteredAndTheParentSaysWhy) {
  const VisibleGpus old_form = select_visible_gpus("MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/1/0,3", kGpus);
  EXPECT_EQ(old_form.indices, std::vector<unsigned>{3});
  EXPECT_TRUE(old_form.note.empty());
  ASSERT_EQ(old_form.unmatched.size(), 1u);
  EXPECT_EQ(old_form.unmatched[0].kind, "MIG instance");
  EXPECT_EQ(old_form.unmatched[0].reason,
            "'MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/1/0' is MIG instance 1/0 of GPU 0 "
            "(GPU-8932f937-d72c-4106-c12f-20bd9faed9f6): NVML has no energy counter per MIG instance, and the GPU's "
            "counter counts every instance on it, so it is not metered");
  EXPECT_EQ(old_form.hidden.at(0).rfind("CUDA_VISIBLE_DEVICES='MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/1/0,3' "
                                        "names only its MIG instance",
                                        0),
            0u)
      << old_form.hidden.at(0);
  EXPECT_EQ(old_form.hidden.at(1), "not in CUDA_VISIBLE_DEVICES='MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/1/0,3'");

  const VisibleGpus new_form = select_visible_gpus("MIG-4a1b2c3d-0000-5000-8000-00000000000a", kGpus);
  EXPECT_TRUE(new_form.indices.empty());
  ASSERT_EQ(new_form.unmatched.size(), 1u);
  EXPECT_EQ(new_form.unmatched[0].reason.rfind("'MIG-4a1b2c3d-0000-5000-8000-00000000000a' is a MIG instance: NVML has "
                                               "no energy counter per MIG instance",
                                               0),
            0u);
  EXPECT_EQ(new_form.hidden.size(), 4u);

  // The older form naming a GPU that is not here names nothing: CUDA stops there.
  const VisibleGpus elsewhere = select_visible_gpus("MIG-GPU-ffff/1/0,0", kGpus);
  EXPECT_TRUE(elsewhere.indices.empty());
  EXPECT_EQ(elsewhere.unmatched[0].kind, "no such GPU");
  EXPECT_NE(elsewhere.note.find("is a MIG instance of a GPU not here ('GPU-ffff' matches no GPU UUID)"),
            std::string::npos)
      << elsewhere.note;
}

TEST(CudaVisibleDevices, EmptyHidesEveryGpu) {
  const VisibleGpus none = select_visible_gpus("", kGpus);
  EXPECT_TRUE(none.indices.empty());
  EXPECT_EQ(none.note, "CUDA_VISIBLE_DEVICES is empty: no GPU is visible");
}

}  // namespace
}  // namespace chase

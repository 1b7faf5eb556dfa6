#include "account/cpu_tdp.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

TEST(CpuTdp, TheModelNameNamesAPresetWordForWord) {
  const ProcessorPreset* p = cpu_preset_for_model("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->key, "xeon-gold-6248");
  EXPECT_EQ(cpu_preset_for_model("Intel(R) Xeon(R) Gold 62480 CPU"), nullptr);  // not word for word
  const CpuTdp tdp = cpu_tdp_for_model("Intel(R) Xeon(R)  Gold 6248 CPU @ 2.50GHz");
  EXPECT_EQ(tdp.tdp, p->tdp);
  EXPECT_EQ(tdp.source, "xeon-gold-6248 preset, from /proc/cpuinfo");
}

TEST(CpuTdp, WithoutAMatchTheDefaultSaysWhy) {
  const ProcessorPreset& fallback = bundled_processors().get(kDefaultCpuPreset);
  EXPECT_EQ(cpu_tdp_for_model(std::string("Mystery CPU")).source,
            std::string(kDefaultCpuPreset) + " preset, the default: 'Mystery CPU' matches no CPU preset");
  const CpuTdp none = cpu_tdp_for_model(std::nullopt);
  EXPECT_EQ(none.tdp, fallback.tdp);
  EXPECT_EQ(none.source, std::string(kDefaultCpuPreset) + " preset, the default: no CPU model name matches no CPU preset");
}

TEST(CpuTdp, OnlyCpuPresetsGiveACpuTdp) {
  EXPECT_EQ(cpu_preset("xeon-gold-6248").kind, "cpu");
  try {
    cpu_preset("p100");
    FAIL() << "a GPU preset was taken for a CPU";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'p100' is a gpu preset, not a CPU (CPU presets: "), std::string::npos) << e.what();
  }
  EXPECT_THROW(cpu_preset("no-such-cpu"), InputError);
}

}  // namespace
}  // namespace chase

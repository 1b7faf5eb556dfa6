#include "export/window_export.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "export/sample_csv.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

// 10 s on one GPU: 2 kJ (200 W), 1 kJ of it in a 360 g/kWh step and 1 kJ in a 720 g/kWh step.
WindowResult priced_window() {
  WindowResult w;
  w.name = "measure";
  w.start = at("2020-06-01T12:00:00Z");
  w.end = at("2020-06-01T12:00:10Z");
  w.time = Duration::seconds(10);
  w.energy = Energy::joules(2000);
  w.carbon = Mass::grams(0.3);
  w.devices = {{"nvml:0", "A40", "nvml", false, Energy::joules(2000), Power::watts(200), Mass::grams(0.3)}};
  w.segments = {{w.start, at("2020-06-01T12:00:05Z"), CarbonIntensity::g_per_kwh(360), "trace:gb", false,
                 Energy::joules(1000), Mass::grams(0.1)},
                {at("2020-06-01T12:00:05Z"), w.end, CarbonIntensity::g_per_kwh(720), "trace:gb", true,
                 Energy::joules(1000), Mass::grams(0.2)}};
  return w;
}

TEST(WindowExport, WritesEnergyPerDeviceAndCarbonPerIntensityStep) {
  const nlohmann::json j = window_json(priced_window(), std::string("trace:gb"));
  EXPECT_EQ(j["start"], "2020-06-01T12:00:00Z");
  EXPECT_DOUBLE_EQ(j["time_s"], 10);
  EXPECT_DOUBLE_EQ(j["energy_j"], 2000);
  EXPECT_DOUBLE_EQ(j["avg_power_w"], 200);
  EXPECT_FALSE(j["estimated"]);
  EXPECT_EQ(j["devices"][0]["id"], "nvml:0");
  EXPECT_DOUBLE_EQ(j["devices"][0]["carbon_g"], 0.3);
  EXPECT_DOUBLE_EQ(j["carbon_g"], 0.3);
  // 0.3 g over 2 kJ (1/1800 kWh): 540 g/kWh, the energy-weighted mean of the two steps.
  EXPECT_NEAR(j["intensity_g_per_kwh"].get<double>(), 540, 1e-9);
  EXPECT_EQ(j["intensity_source"], "trace:gb");
  EXPECT_TRUE(j["intensity_fallback"]);
  ASSERT_EQ(j["intensity_segments"].size(), 2u);
  EXPECT_EQ(j["intensity_segments"][1]["from"], "2020-06-01T12:00:05Z");
  EXPECT_DOUBLE_EQ(j["intensity_segments"][1]["carbon_g"], 0.2);
}

TEST(WindowExport, LeavesCarbonOutOfAnUnpricedWindow) {
  const nlohmann::json j = window_json(priced_window(), std::nullopt);
  EXPECT_FALSE(j.contains("carbon_g"));
  EXPECT_FALSE(j.contains("intensity_segments"));
  EXPECT_DOUBLE_EQ(j["devices"][0]["carbon_g"], 0.3);  // the device's own figure is kept
}

TEST(WindowExport, MeasureReportAddsTheCommandTheSamplerAndTheMissingBackends) {
  const std::vector<BackendReport> backends{{"nvml", BackendState::kAvailable, "1 GPU", {}, {}},
                                            {"rapl", BackendState::kAbsent, "no powercap tree", {}, {}},
                                            {"estimated", BackendState::kNotUsed, "RAPL measures the CPU", {}, {}}};
  const std::vector<DeviceEntry> metering{
      {"nvml:0", "NVIDIA A40", "nvml", Metering::kCounter, "nvml energy counter", "GPU-8932"},
      {"rapl", "no device found", "rapl", Metering::kNone, "absent: no powercap tree", ""}};
  const CommandOutcome outcome{{"sleep", "10"}, 143, {"SIGTERM"}, {3, false}, Duration::seconds(10)};
  const nlohmann::json j = measure_json(priced_window(), std::string("trace:gb"), outcome, {100, 101, 1}, backends,
                                        metering);
  EXPECT_EQ(j["command"], nlohmann::json({"sleep", "10"}));
  EXPECT_EQ(j["exit_code"], 143);
  EXPECT_EQ(j["signals_forwarded"], nlohmann::json({"SIGTERM"}));
  EXPECT_DOUBLE_EQ(j["sampler"]["interval_ms"], 100);
  EXPECT_EQ(j["sampler"]["samples"], 101);
  EXPECT_EQ(j["sampler"]["errors"], 1);
  ASSERT_EQ(j["unavailable"].size(), 1u);
  EXPECT_EQ(j["unavailable"][0]["backend"], "rapl");
  EXPECT_EQ(j["unavailable"][0]["state"], "absent");
  EXPECT_DOUBLE_EQ(j["energy_j"], 2000);
  EXPECT_EQ(j["descendants_at_exit"], 3);
  EXPECT_EQ(j["descendants_waited"], false);
  EXPECT_DOUBLE_EQ(j["command_time_s"], 10);
  ASSERT_EQ(j["metering"].size(), 2u);
  EXPECT_EQ(j["metering"][1]["reason"], "absent: no powercap tree");
}

class NamedDevice final : public PowerDevice {
 public:
  NamedDevice(std::string id, bool estimated) : id_(std::move(id)), estimated_(estimated) {}
  std::string id() const override { return id_; }
  std::string name() const override { return id_; }
  std::string backend() const override { return "test"; }
  bool estimated() const override { return estimated_; }
  Energy energy() override { return Energy::joules(0); }
  std::optional<Power> power() override { return std::nullopt; }

 private:
  std::string id_;
  bool estimated_;
};

TEST(SampleCsv, WritesARowPerDevicePerSampleWithEmptyPowerInTheFirst) {
  std::ostringstream out;
  SampleCsvWriter csv(out, {std::make_shared<NamedDevice>("nvml:0", false), std::make_shared<NamedDevice>("cpu", true)});
  csv.write({at("2020-06-01T12:00:00Z"), Duration::seconds(0), {Energy::joules(0), Energy::joules(0)}, {std::nullopt, std::nullopt}, {}, {}});
  csv.write({at("2020-06-01T12:00:00.100Z"), Duration::seconds(0.1), {Energy::joules(25), Energy::joules(5.5)},
             {Power::watts(250), Power::watts(55)}, {}, {}});
  EXPECT_EQ(out.str(),
            "timestamp,elapsed_s,device,energy_j,avg_power_w,estimated\n"
            "2020-06-01T12:00:00Z,0.000,nvml:0,0.000,,false\n"
            "2020-06-01T12:00:00Z,0.000,cpu,0.000,,true\n"
            "2020-06-01T12:00:00.100Z,0.100,nvml:0,25.000,250.000,false\n"
            "2020-06-01T12:00:00.100Z,0.100,cpu,5.500,55.000,true\n");
}

TEST(SampleCsv, AFileGetsTheHeaderAndEverySampleItsSinkSees) {
  test::TempDir dir;
  const auto path = dir.path() / "power.csv";
  {
    SampleCsvFile file(path, {std::make_shared<NamedDevice>("cpu", true)});
    const Sampler::Sink sink = file.sink();
    sink({at("2020-06-01T12:00:00Z"), Duration::seconds(0), {Energy::joules(0)}, {std::nullopt}, {}, {}});
    EXPECT_FALSE(std::filesystem::exists(path));  // nothing is created before open()
    file.open();
    file.finish();
  }
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "timestamp,elapsed_s,device,energy_j,avg_power_w,estimated\n2020-06-01T12:00:00Z,0.000,cpu,0.000,,true\n");
}

// Nothing touches the file before open() (the command has started): an earlier file survives a
// command that never starts. After it, each sample is in the file at once, and a failed write is
// reported by finish() with its own OS error rather than thrown into the sampler.
TEST(SampleCsv, AnEarlierFileSurvivesUntilOpenAndAFailedWriteIsReportedByFinish) {
  test::TempDir dir;
  const auto path = dir.write("power.csv", "earlier\n");
  auto text = [&] {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  {
    SampleCsvFile file(path, {std::make_shared<NamedDevice>("cpu", true)});
    file.write({at("2020-06-01T12:00:00Z"), Duration::seconds(0), {Energy::joules(0)}, {std::nullopt}, {}, {}});
  }
  EXPECT_EQ(text(), "earlier\n");
  {
    SampleCsvFile file(path, {std::make_shared<NamedDevice>("cpu", true)});
    file.write({at("2020-06-01T12:00:00Z"), Duration::seconds(0), {Energy::joules(0)}, {std::nullopt}, {}, {}});
    file.open();
    EXPECT_EQ(text(), "timestamp,elapsed_s,device,energy_j,avg_power_w,estimated\n2020-06-01T12:00:00Z,0.000,cpu,0.000,,true\n");
    file.write({at("2020-06-01T12:00:01Z"), Duration::seconds(1), {Energy::joules(2)}, {Power::watts(2)}, {}, {}});
    EXPECT_EQ(text().substr(text().rfind("2020")), "2020-06-01T12:00:01Z,1.000,cpu,2.000,2.000,true\n");  // before finish()
    file.finish();
  }
  SampleCsvFile full("/dev/full", {std::make_shared<NamedDevice>("cpu", true)});
  full.open();
  EXPECT_NO_THROW(full.write({at("2020-06-01T12:00:00Z"), Duration::seconds(0), {Energy::joules(0)}, {std::nullopt}, {}, {}}));
  try {
    full.finish();
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "cannot write /dev/full: No space left on device");
  }
}

TEST(SampleCsv, AFileThatCannotBeCreatedIsAnInputErrorSayingWhy) {
  test::TempDir dir;
  const auto path = dir.path() / "missing" / "power.csv";
  try {
    SampleCsvFile file(path, {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + path.string() + ": No such file or directory");
  }
}

}  // namespace
}  // namespace chase

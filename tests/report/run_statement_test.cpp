// The paper statement: a project of several runs sums energy, CO2e and device-hours, weights the
// intensity by energy, applies the PUE, splits measured from estimated energy and names its
// sources; the three formats carry the same figures.

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "report/run_statement.hpp"

namespace chase {
namespace {

const UtcTime kStart = UtcTime::parse_iso8601_or_throw("2026-02-01T00:00:00Z", "test");

StoredRun run(RunId id, double hours, double gpu_kwh, double cpu_kwh, std::optional<double> carbon_g,
              std::optional<std::string> source, int gpus = 1) {
  StoredRun r;
  r.id = id;
  r.status = RunStatus::kCompleted;
  r.header.started_at = kStart + Duration::days(static_cast<double>(id));
  r.time = Duration::hours(hours);
  r.ended_at = r.header.started_at + r.time;
  r.header.intensity_source = source;
  for (int g = 0; g < gpus; ++g) {
    r.devices.push_back(RunDevice{g, "nvml:" + std::to_string(g), "NVIDIA A40", "", "nvml", "counter", "", false,
                                  std::nullopt, Energy::kwh(gpu_kwh / gpus), {}});
  }
  r.devices.push_back(RunDevice{gpus, "estimated:cpu", "CPU", "", "estimated", "estimate", "", true, std::nullopt,
                                Energy::kwh(cpu_kwh), {}});
  r.devices.push_back(RunDevice{gpus + 1, "rapl", "no device found", "", "rapl", "none", "absent", false, std::nullopt, {}, {}});
  r.energy = Energy::kwh(gpu_kwh + cpu_kwh);
  if (carbon_g) r.carbon = Mass::grams(*carbon_g);
  return r;
}

TEST(RunStatement, AProjectOfRunsSumsAndWeightsByEnergy) {
  // Run 1: 4 GPUs, 10 h, 90 + 10 kWh at 200 g/kWh (20 kg). Run 2: 2 GPUs, 5 h, 45 + 5 kWh at 500 g/kWh (25 kg).
  const std::vector<StoredRun> runs = {run(1, 10, 90, 10, 20000, "static:gb", 4), run(2, 5, 45, 5, 25000, "uk-carbon-intensity", 2)};
  const RunStatement s = build_statement(runs, 1.1);
  EXPECT_EQ(s.runs, (std::vector<RunId>{1, 2}));
  EXPECT_DOUBLE_EQ(s.wall_time.seconds(), 15 * 3600.0);
  EXPECT_NEAR(s.device_energy.kwh(), 150, 1e-9);
  EXPECT_NEAR(s.measured_energy.kwh(), 135, 1e-9);
  EXPECT_NEAR(s.estimated_energy.kwh(), 15, 1e-9);
  EXPECT_NEAR(s.facility_energy.kwh(), 165, 1e-9);
  ASSERT_TRUE(s.carbon);
  EXPECT_NEAR(s.carbon->grams(), 45000 * 1.1, 1e-6);
  // (20 kg + 25 kg) / 150 kWh = 300 g/kWh, not the mean of 200 and 500.
  EXPECT_NEAR(s.intensity->g_per_kwh(), 300, 1e-9);
  ASSERT_EQ(s.processors.size(), 2u);
  EXPECT_EQ(s.processors[0].name, "NVIDIA A40");
  EXPECT_EQ(s.processors[0].count, 4);                   // the most any run used
  EXPECT_DOUBLE_EQ(s.processors[0].device_hours, 4 * 10 + 2 * 5);
  EXPECT_NEAR(s.processors[0].energy.kwh(), 135, 1e-9);
  EXPECT_TRUE(s.processors[1].estimated);
  ASSERT_EQ(s.sources.size(), 2u);
  EXPECT_EQ(s.sources[0].kind, "static");
  EXPECT_EQ(s.sources[1].kind, "live");
  EXPECT_EQ(s.first_start, kStart + Duration::days(1));
  EXPECT_EQ(s.last_end, kStart + Duration::days(2) + Duration::hours(5));
}

TEST(RunStatement, UnpricedRunsCountInEnergyButNotInCarbon) {
  const RunStatement s = build_statement({run(1, 1, 9, 1, 2000, "trace:gb-2020"), run(2, 1, 4, 1, std::nullopt, std::nullopt)}, std::nullopt);
  EXPECT_FALSE(s.pue_given);
  EXPECT_DOUBLE_EQ(s.pue, 1.0);
  EXPECT_NEAR(s.device_energy.kwh(), 15, 1e-9);
  EXPECT_NEAR(s.unpriced_energy.kwh(), 5, 1e-9);
  EXPECT_NEAR(s.carbon->grams(), 2000, 1e-9);
  EXPECT_NEAR(s.intensity->g_per_kwh(), 200, 1e-9);  // over the priced 10 kWh only
  const std::string text = render_statement(s, StatementFormat::kText);
  EXPECT_NE(text.find("5.000 kWh of the energy was recorded without an intensity source"), std::string::npos) << text;
  EXPECT_NE(text.find("no datacenter PUE is applied"), std::string::npos);
  const RunStatement none = build_statement({run(3, 1, 1, 0, std::nullopt, std::nullopt)}, std::nullopt);
  EXPECT_FALSE(none.carbon);
  EXPECT_FALSE(none.intensity);
  EXPECT_NE(render_statement(none, StatementFormat::kText).find("no CO2e is stated"), std::string::npos);
}

TEST(RunStatement, TheParagraphStatesTheFiguresInEachFormat) {
  const RunStatement s = build_statement({run(1, 10, 90, 10, 20000, "static:gb", 4)}, 1.1);
  const std::string text = render_statement(s, StatementFormat::kText);
  EXPECT_NE(text.find("1 run recorded by chase between 2026-02-02 and 2026-02-02 used 4 × NVIDIA A40 (metered by its "
                      "energy counter), 1 × CPU (estimated from its TDP and utilisation) for 10.0 hours"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("The processors drew 100.0 kWh (90.0 % measured, 10.0 % estimated); with a datacenter PUE of "
                      "1.10, 110.0 kWh at the facility."),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("200 gCO2e/kWh (gross, location-based; from a static yearly average (static:gb)), this amounts "
                      "to 0.0220 tCO2e (22.00 kg)."),
            std::string::npos)
      << text;
  const std::string md = render_statement(s, StatementFormat::kMarkdown);
  EXPECT_NE(md.find("| PUE applied | 1.10 |"), std::string::npos) << md;
  const std::string tex = render_statement(s, StatementFormat::kLatex);
  EXPECT_NE(tex.find("4 $\\times$ NVIDIA A40"), std::string::npos) << tex;
  EXPECT_NE(tex.find("90.0 \\% measured"), std::string::npos) << tex;
  EXPECT_NE(tex.find("\\begin{tabular}{ll}"), std::string::npos);
  EXPECT_EQ(tex.find("tCO2e"), std::string::npos);  // CO$_2$e in TeX
}

TEST(RunStatement, NoRunsOrAPueBelowOneIsRefused) {
  EXPECT_THROW(build_statement({}, std::nullopt), InputError);
  EXPECT_THROW(build_statement({run(1, 1, 1, 0, 1, "static:gb")}, 0.9), InputError);
}

TEST(RunStatement, SourceKindsFollowTheSourceName) {
  EXPECT_EQ(intensity_source_kind("trace:gb-2020"), "trace");
  EXPECT_EQ(intensity_source_kind("static:gb"), "static");
  EXPECT_EQ(intensity_source_kind("--intensity"), "given");
  EXPECT_EQ(intensity_source_kind("electricitymaps:DE"), "live");
}

}  // namespace
}  // namespace chase

namespace chase {
namespace {

TEST(RunStatement, SaysWhichFiguresAndWhichYearTheIntensityIs) {
  StoredRun a = run(1, 1, 9, 1, 2000, "static:DE");
  a.header.intensity_basis = "DE 2024 (Electricity Maps yearly average)";
  StoredRun b = run(2, 1, 9, 1, 3000, "trace:gb-2020");
  b.header.intensity_basis = "trace gb-2020, 2020-01-01 to 2020-12-31";
  const RunStatement s = build_statement({a, b}, std::nullopt);
  const std::string text = render_statement(s, StatementFormat::kText);
  EXPECT_NE(text.find("from a recorded trace (trace:gb-2020) and a static yearly average (static:DE): trace gb-2020, "
                      "2020-01-01 to 2020-12-31; DE 2024 (Electricity Maps yearly average))"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("intensity figures     trace gb-2020, 2020-01-01 to 2020-12-31; DE 2024 (Electricity Maps yearly "
                      "average)"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace chase

namespace chase {
namespace {

TEST(RunStatement, RunsOnOneHostAtOneTimeOnOneDeviceAreFlagged) {
  StoredRun a = run(1, 2, 9, 1, 2000, "static:gb");
  StoredRun b = run(2, 2, 9, 1, 2000, "static:gb");
  StoredRun c = run(3, 2, 9, 1, 2000, "static:gb");
  for (StoredRun* r : {&a, &b, &c}) r->header.host = "node-1";
  b.header.started_at = a.header.started_at + Duration::hours(1);  // overlaps a by an hour
  b.ended_at = b.header.started_at + b.time;
  c.header.host = "node-2";                                       // same time as a, another host
  c.header.started_at = a.header.started_at;
  c.ended_at = a.ended_at;
  const RunStatement s = build_statement({a, b, c}, std::nullopt);
  ASSERT_EQ(s.overlaps.size(), 1u);
  EXPECT_EQ(s.overlaps[0].first, 1);
  EXPECT_EQ(s.overlaps[0].second, 2);
  EXPECT_EQ(s.overlaps[0].devices, (std::vector<std::string>{"nvml:0", "estimated:cpu"}));
  EXPECT_NE(render_statement(s, StatementFormat::kText).find("Warning: runs 1 and 2 (nvml:0, estimated:cpu) ran at the same time"),
            std::string::npos);
}

TEST(RunStatement, EnergyIsAttributedToTheSourcesThatPricedIt) {
  // Started on a live provider that failed for part of the run: the static fallback priced 3 kWh.
  StoredRun r = run(1, 1, 9, 1, 2000, "uk-carbon-intensity:GB");
  r.step_sources = {StepSourceShare{"uk-carbon-intensity:GB", false, Energy::kwh(7)},
                    StepSourceShare{"static:gb", true, Energy::kwh(3)}};
  const RunStatement s = build_statement({r}, std::nullopt);
  ASSERT_EQ(s.sources.size(), 2u);
  EXPECT_EQ(s.sources[0].name, "static:gb");
  EXPECT_EQ(s.sources[0].kind, "static");
  EXPECT_NEAR(s.sources[0].energy.kwh(), 3, 1e-9);
  EXPECT_EQ(s.sources[1].kind, "live");
  EXPECT_NEAR(s.sources[1].energy.kwh(), 7, 1e-9);
  EXPECT_NE(render_statement(s, StatementFormat::kText)
                .find("from the live provider uk-carbon-intensity:GB and a static yearly average (static:gb)"),
            std::string::npos);
}

}  // namespace
}  // namespace chase

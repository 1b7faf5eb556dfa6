// The HTML report's parts: escaping, ticks, the estimate at the maximum limit (worked by hand),
// Patterson's what-ifs on a run's energy, and a page that escapes what it shows, carries its
// series as data and never prints nan or inf.

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include "report/html_report.hpp"
#include "report/html_text.hpp"
#include "report/max_limit_estimate.hpp"
#include "report/run_what_ifs.hpp"
#include "report/svg_chart.hpp"

namespace chase {
namespace {

// Whether `word` stands alone in `text` ("nan", not "financial").
bool has_word(const std::string& text, const std::string& word) {
  return std::regex_search(text, std::regex("\\b" + word + "\\b", std::regex::icase));
}

const UtcTime kStart = UtcTime::parse_iso8601_or_throw("2026-03-01T12:00:00Z", "test");

TEST(HtmlText, EscapesEveryMarkupCharacterAndDashesUndefinedNumbers) {
  EXPECT_EQ(html_escape("<b>\"a\" & 'b'</b> é"), "&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt; é");
  EXPECT_EQ(html_number(std::nan(""), 2), "—");
  EXPECT_EQ(html_number(INFINITY, 2), "—");
  EXPECT_EQ(html_number(-0.001, 2), "0.00");
  EXPECT_EQ(html_number(12.345, 1), "12.3");
}

TEST(SvgChart, TicksAreRoundStepsCoveringTheRange) {
  EXPECT_EQ(nice_ticks(0, 97), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(nice_ticks(225, 300), (std::vector<double>{220, 240, 260, 280, 300}));
  const auto flat = nice_ticks(5, 5);  // a flat series still gets an axis around its value
  ASSERT_GE(flat.size(), 2u);
  EXPECT_LT(flat.front(), 5);
  EXPECT_GT(flat.back(), 5);
  const auto unit = nice_ticks(0, 1, 5);
  ASSERT_EQ(unit.size(), 6u);
  EXPECT_NEAR(unit[3], 0.6, 1e-12);
}

TEST(SvgChart, SeriesAndBarsCarryTheirValues) {
  LineChart chart;
  chart.title = "t <1>";
  chart.unit = "W";
  chart.series.push_back({"series-x", "x & y", "#000", SeriesShape::kStep, {{0, 1}, {2, NAN}, {3, 4}}, 5, false, {{"k", "v\""}}});
  const std::string svg = render_line_chart(chart);
  EXPECT_NE(svg.find("class=\"series series-x\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("data-count=\"2\""), std::string::npos);  // the NaN point is left out
  EXPECT_NE(svg.find("data-values=\"1 4\""), std::string::npos);
  EXPECT_NE(svg.find("data-k=\"v&quot;\""), std::string::npos);
  EXPECT_NE(svg.find("t &lt;1&gt;"), std::string::npos);
  EXPECT_FALSE(has_word(svg, "nan"));
  BarChart bars{"energy", "energy (J)", "bar-energy", "J", {{"nvml:0", 12.5, "12.5 J", {}}, {"b", NAN, "—", {}}}};
  const std::string b = render_bar_chart(bars);
  EXPECT_NE(b.find("class=\"bar bar-energy\""), std::string::npos);
  EXPECT_NE(b.find("data-value=\"12.5\""), std::string::npos);
  EXPECT_EQ(b.find("<rect class=\"bar bar-energy\"", b.find("data-label=\"nvml:0\"")), std::string::npos);  // one bar
  EXPECT_NE(render_line_chart(LineChart{"empty", "", "", "", "", "", {}}).find("no data"), std::string::npos);
}

std::vector<RunProfilePoint> profile() {
  return {{Power::watts(225), Duration::seconds(25), Energy::joules(5000)},
          {Power::watts(300), Duration::seconds(24), Energy::joules(6000)}};
}

RecordedDecision frame(int n, double from_s, double until_s, double limit_w, double intensity) {
  return RecordedDecision{n, kStart + Duration::seconds(from_s), kStart + Duration::seconds(until_s), Power::watts(limit_w),
                          CarbonIntensity::g_per_kwh(intensity + 50), CarbonIntensity::g_per_kwh(intensity), "trace", false};
}

TEST(MaxLimitEstimate, TheSameWorkAtTheMaximumLimitWorkedByHand) {
  // 100 s at 225 W (4 units at 25 s) then 50 s at 300 W (50/24 units), on 2 GPUs.
  const std::vector<RecordedDecision> frames{frame(0, 0, 100, 225, 100), frame(1, 100, 150, 300, 300)};
  const auto e = estimate_at_max_limit(frames, profile(), 2);
  ASSERT_TRUE(e);
  const double units = 4 + 50.0 / 24;
  EXPECT_NEAR(e->work_units, units, 1e-12);
  EXPECT_DOUBLE_EQ(e->max_limit.watts(), 300);
  EXPECT_NEAR(e->as_run.time.seconds(), 150, 1e-9);
  EXPECT_NEAR(e->as_run.energy.joules(), 2 * (4 * 5000 + 50.0 / 24 * 6000), 1e-6);
  EXPECT_NEAR(e->as_run.carbon.grams(), 2 * (20000 / 3.6e6 * 100 + 12500 / 3.6e6 * 300), 1e-9);
  EXPECT_NEAR(e->at_max.time.seconds(), units * 24, 1e-9);  // 146 s
  EXPECT_NEAR(e->at_max.energy.joules(), 2 * units * 6000, 1e-6);
  // Over its 146 s: 100 s at 100 g/kWh, 46 s at 300 g/kWh (the actual, not the forecast).
  const double mean = (100 * 100 + 46 * 300) / 146.0;
  EXPECT_NEAR(e->at_max.carbon.grams(), 2 * units * 6000 / 3.6e6 * mean, 1e-9);
  // Cut where the run ended: the second frame's last 25 s never ran.
  const auto cut = estimate_at_max_limit(frames, profile(), 2, kStart + Duration::seconds(125));
  EXPECT_NEAR(cut->work_units, 4 + 25.0 / 24, 1e-12);
  EXPECT_NEAR(cut->as_run.time.seconds(), 125, 1e-9);
  EXPECT_FALSE(estimate_at_max_limit({}, profile(), 1));
  EXPECT_FALSE(estimate_at_max_limit(frames, {}, 1));
}

TEST(MaxLimitEstimate, TheLastFrameHoldsPastTheRunsEnd) {
  // 125 s at 225 W = 5 units; at 300 W they take 120 s: all inside the one frame.
  const auto e = estimate_at_max_limit({frame(0, 0, 125, 225, 200)}, profile(), 1);
  ASSERT_TRUE(e);
  EXPECT_NEAR(e->at_max.time.seconds(), 120, 1e-9);
  EXPECT_NEAR(e->at_max.carbon.grams(), 30000 / 3.6e6 * 200, 1e-9);
  // Slower than the profile at the maximum: a frame at 300 W of 240 s is 10 units, 240 s again.
  const auto same = estimate_at_max_limit({frame(0, 0, 240, 300, 200)}, profile(), 1);
  EXPECT_NEAR(same->at_max.time.seconds(), 240, 1e-9);
  EXPECT_NEAR(same->at_max.energy.joules(), same->as_run.energy.joules(), 1e-9);
}

StoredRun a_run(const std::string& gpu_name, std::optional<double> carbon_g) {
  StoredRun r;
  r.id = 7;
  r.status = RunStatus::kCompleted;
  r.header.kind = "run";
  r.header.command = {"python", "train.py", "--tag", "<script>alert('x')</script>"};
  r.header.started_at = kStart;
  r.header.chase_version = "0.1.0";
  r.header.intensity_source = carbon_g ? std::optional<std::string>("trace:gb-2020") : std::nullopt;
  r.time = Duration::seconds(150);
  r.ended_at = kStart + r.time;
  r.energy = Energy::kwh(2);
  if (carbon_g) r.carbon = Mass::grams(*carbon_g);
  r.devices.push_back({0, "nvml:0", gpu_name, "", "nvml", "counter", "", false, std::nullopt, Energy::kwh(2), r.carbon});
  r.devices.push_back({1, "rapl", "RAPL", "", "rapl", "none", "no powercap & no <zones>", false, std::nullopt, {}, {}});
  r.profile = profile();
  return r;
}

TEST(RunWhatIfs, PattersonsFactorsOnTheMeasuredEnergy) {
  const RunWhatIfs w = run_what_ifs(a_run("Tesla P100-PCIE-16GB", 400), 3);  // 2 kWh at 200 g/kWh
  ASSERT_TRUE(w.priced);
  ASSERT_TRUE(w.locations);
  ASSERT_EQ(w.locations->rows.size(), 6u);  // the 3 cleanest and 3 dirtiest of 10 regions
  EXPECT_EQ(w.locations->rows.front().label.rfind("us-nw-bpa", 0), 0u);
  EXPECT_NEAR(w.locations->rows.front().result.co2e.grams(), 2 * 54.7, 1e-9);
  EXPECT_NEAR(w.locations->rows.back().result.co2e.grams(), 2 * 545, 1e-9);
  EXPECT_NEAR(w.locations->rows.back().factor_vs_baseline, 400 / 1090.0, 1e-12);
  ASSERT_TRUE(w.datacenters);
  ASSERT_EQ(w.datacenters->rows.size(), 2u);
  EXPECT_NEAR(w.datacenters->rows[0].result.energy.kwh(), 2 * 1.10, 1e-9);
  EXPECT_NEAR(w.datacenters->rows[1].result.energy.kwh(), 2 * 1.58, 1e-9);
  EXPECT_NEAR(w.datacenters->rows[1].factor_vs_baseline, 1 / 1.58, 1e-12);
  // P100 -> TPU v2 (the presets' sourced speedup, 3.2 / 0.62 days = 5.16x): 221 W for 150 s / 5.16.
  ASSERT_TRUE(w.processor);
  const double kwh = 221 * 150 / 5.16 / 3.6e6;
  EXPECT_NEAR(w.processor->rows[0].result.energy.kwh(), kwh, 1e-12);
  EXPECT_NEAR(w.processor->rows[0].result.co2e.grams(), kwh * 200, 1e-9);
}

TEST(RunWhatIfs, NoSourcedSpeedupNoProcessorRowAndAnUnpricedRunHasNoFactors) {
  const RunWhatIfs w = run_what_ifs(a_run("NVIDIA A40", std::nullopt));
  EXPECT_FALSE(w.priced);
  EXPECT_FALSE(w.processor);
  EXPECT_NE(w.note.find("no sourced speedup"), std::string::npos) << w.note;
  EXPECT_NE(w.note.find("NVIDIA A40"), std::string::npos);
  EXPECT_TRUE(std::isnan(w.locations->rows[0].factor_vs_baseline));
  EXPECT_NEAR(w.locations->rows[0].result.co2e.grams(), 2 * 54.7, 1e-9);  // the zone still prices it
}

RunSeries series() {
  RunSeries s;
  for (int i = 0; i <= 15; ++i) {
    s.samples.push_back({0, kStart + Duration::seconds(10.0 * i), Energy::joules(48000.0 * i),
                         i == 0 ? std::nullopt : std::optional<Power>(Power::watts(4800))});
  }
  s.steps.push_back({kStart - Duration::seconds(30), kStart + Duration::seconds(100), CarbonIntensity::g_per_kwh(100),
                     "trace:gb-2020", false, {}, {}, {}});
  s.steps.push_back({kStart + Duration::seconds(100), kStart + Duration::seconds(400), CarbonIntensity::g_per_kwh(300),
                     "trace:gb-2020", false, {}, {}, {}});
  s.decisions = {frame(0, 0, 100, 225, 100), frame(1, 100, 150, 300, 300)};
  return s;
}

std::string attribute_of(const std::string& page, const std::string& css_class, const std::string& name) {
  const std::regex tag("<(path|rect) class=\"[a-z ]*\\b" + css_class + "\\b[^>]*>");
  std::smatch m;
  if (!std::regex_search(page, m, tag)) return "";
  const std::string element = m.str();
  const std::regex attribute(" data-" + name + "=\"([^\"]*)\"");
  return std::regex_search(element, m, attribute) ? m[1].str() : "";
}

TEST(HtmlReport, APageEscapesItsTextAndCarriesItsSeries) {
  const std::string page = render_html_report(a_run("Tesla P100-PCIE-16GB", 400), series());
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("no powercap &amp; no &lt;zones&gt;"), std::string::npos);
  for (const char* bad : {"nan", "inf", "infinity"}) EXPECT_FALSE(has_word(page, bad)) << bad;
  EXPECT_EQ(page.find("://"), std::string::npos);  // no address: nothing to fetch
  EXPECT_EQ(attribute_of(page, "series-limit", "count"), "2");
  EXPECT_EQ(attribute_of(page, "series-limit", "values"), "225 300");
  EXPECT_EQ(attribute_of(page, "series-intensity", "values"), "100 300");  // clipped to the run's 150 s
  EXPECT_EQ(attribute_of(page, "series-power", "count"), "15");
  EXPECT_EQ(attribute_of(page, "series-power", "device"), "nvml:0");
  EXPECT_EQ(attribute_of(page, "bar-energy", "energy-j"), "7.2e+06");
  EXPECT_NE(page.find("class=\"what-if what-if-processor\""), std::string::npos);
  EXPECT_NE(page.find("class=\"max-limit\""), std::string::npos);
  EXPECT_NE(page.find("Assumption: the work done is estimated"), std::string::npos);
  EXPECT_NE(page.find("PUE 1.10"), std::string::npos);
  EXPECT_NE(page.find("PUE 1.58"), std::string::npos);
}

TEST(HtmlReport, AMeasuredUnpricedRunHasNoLimitsAndDashesForWhatItLacks) {
  StoredRun run = a_run("NVIDIA A40", std::nullopt);
  run.header.kind = "measure";
  run.profile.clear();
  RunSeries s = series();
  s.decisions.clear();
  s.steps.clear();
  const std::string page = render_html_report(run, s);
  EXPECT_EQ(page.find("series-limit"), std::string::npos);
  EXPECT_EQ(page.find("class=\"max-limit\""), std::string::npos);
  EXPECT_NE(page.find("— (not priced)"), std::string::npos);
  EXPECT_NE(page.find("no data"), std::string::npos);  // the intensity chart has nothing to draw
  for (const char* bad : {"nan", "inf"}) EXPECT_FALSE(has_word(page, bad)) << bad;
}

}  // namespace
}  // namespace chase

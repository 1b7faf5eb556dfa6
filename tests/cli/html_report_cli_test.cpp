// `chase report ID --html FILE` through real processes, and the page in a real browser: a
// controlled run (fake GPU, a trace, the a40-resnet50 profile) and a measured run are recorded,
// rendered, then opened in headless Chromium, which must draw a page that is not blank and whose
// DOM holds the charts with their data (one limit per recorded frame, the devices' energy).
// Chromium comes from $CHASE_CHROMIUM or `chromium` on PATH (scripts/setup installs Debian's);
// without it these tests fail and say so, they do not skip.

#include <gtest/gtest.h>
#include <png.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "support/live_trace.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::run_chase;

const std::string kFixtures = CHASE_FIXTURES_DIR;

// $CHASE_CHROMIUM, else `chromium` on PATH; "" when neither is an executable.
std::string chromium_path() {
  if (const char* given = std::getenv("CHASE_CHROMIUM"); given != nullptr && *given != '\0') {
    return ::access(given, X_OK) == 0 ? given : "";
  }
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const auto candidate = std::filesystem::path(dir) / "chromium";
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

constexpr const char* kNoChromium =
    "chromium not found: set CHASE_CHROMIUM to its path or put `chromium` on PATH (scripts/setup installs "
    "Debian's chromium)";

struct Browser {
  test::TempDir home;
  std::string binary = chromium_path();

  // Chromium headless on `html` with one more flag; a fresh profile each time, no network.
  test::ProcessResult open(const std::filesystem::path& html, const std::string& flag) const {
    const auto profile = home.path() / ("profile-" + std::to_string(++runs));
    return test::run_process({"timeout", "90", binary, "--headless", "--no-sandbox", "--disable-gpu",
                              "--user-data-dir=" + profile.string(), "--no-first-run", "--disable-extensions",
                              "--proxy-server=127.0.0.1:9", "--window-size=1200,2000", flag, "file://" + html.string()},
                             "", {{"HOME", home.path().string()}});
  }
  mutable int runs = 0;
};

struct Pixels {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::vector<std::uint8_t> rgb;
};

// The screenshot decoded with libpng's simplified API (empty when it does not decode).
Pixels read_png(const std::filesystem::path& file) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  Pixels p;
  if (png_image_begin_read_from_file(&image, file.c_str()) == 0) return p;
  image.format = PNG_FORMAT_RGB;
  p.rgb.resize(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, p.rgb.data(), 0, nullptr) == 0) {
    png_image_free(&image);
    return {};
  }
  p.width = image.width;
  p.height = image.height;
  return p;
}

struct Store {
  test::TempDir dir;
  std::string db = (dir.path() / "runs.db").string();
  std::map<std::string, std::string> env(std::map<std::string, std::string> more = {}) const {
    more["CHASE_DB"] = db;
    more["CHASE_FAKE_NVML_FIXTURE"] = kFixtures + "/nvml/two-gpus.json";
    more["CHASE_NVML_LIBRARY"] = CHASE_FAKE_NVML;
    return more;
  }
  nlohmann::json exported(long id) const {
    const auto r = run_chase({"runs", "export", std::to_string(id), "--json"}, env());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
};

// data-<name> of the first <path>/<rect> of `css_class` in the DOM ("" when there is none).
std::string attribute_of(const std::string& dom, const std::string& css_class, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(dom, m, std::regex("<(path|rect) class=\"[a-z ]*\\b" + css_class + "\\b[^>]*>"))) return "";
  const std::string element = m.str();
  return std::regex_search(element, m, std::regex(" data-" + name + "=\"([^\"]*)\"")) ? m[1].str() : "";
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Screenshots `html` and asserts it is a drawn page: 1200 px wide, many colours, ink on it.
void expect_drawn(const Browser& browser, const std::filesystem::path& html, const std::filesystem::path& png) {
  const auto shot = browser.open(html, "--screenshot=" + png.string());
  ASSERT_EQ(shot.exit_code, 0) << shot.err;
  ASSERT_TRUE(std::filesystem::exists(png)) << shot.err;
  EXPECT_GT(std::filesystem::file_size(png), 20000u);
  const Pixels p = read_png(png);
  ASSERT_EQ(p.width, 1200u);
  ASSERT_GT(p.height, 1000u);
  std::set<std::uint32_t> colours;
  std::size_t ink = 0;
  for (std::size_t i = 0; i + 2 < p.rgb.size(); i += 3) {
    colours.insert(static_cast<std::uint32_t>(p.rgb[i] << 16 | p.rgb[i + 1] << 8 | p.rgb[i + 2]));
    if (p.rgb[i] < 200 || p.rgb[i + 1] < 200 || p.rgb[i + 2] < 200) ++ink;
  }
  EXPECT_GT(colours.size(), 50u);                        // text, axes, series, bars: not one colour
  EXPECT_GT(ink, p.rgb.size() / 3 / 100);                // over 1 % of the pixels are drawn on
  EXPECT_LT(ink, p.rgb.size() / 3 / 2);                  // and the page is not a dark block
}

TEST(HtmlReportCli, AControlledRunDrawsItsChartsInChromium) {
  Browser browser;
  ASSERT_FALSE(browser.binary.empty()) << kNoChromium;
  Store s;
  const auto trace = test::write_trace_around_now(s.dir);
  const auto r = run_chase({"run", "--powercap-root", "/nonexistent", "--trace", trace.string(), "--profile", "a40-resnet50",
                            "--work-hours", "1", "--json", "--", "sleep", "5"},
                           s.env({{"CHASE_FAKE_NVML_STATE", (s.dir.path() / "nvml-state.json").string()},
                                  {"CUDA_VISIBLE_DEVICES", "0"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const long id = nlohmann::json::parse(r.out)["run_id"].get<long>();
  const auto run = s.exported(id);
  ASSERT_GE(run["decisions"].size(), 2u);

  const auto html = s.dir.path() / "run.html";
  const auto written = run_chase({"report", std::to_string(id), "--html", html.string()}, s.env());
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_EQ(written.out, "wrote run " + std::to_string(id) + " to " + html.string() + "\n");
  EXPECT_FALSE(std::filesystem::exists(html.string() + ".tmp"));

  const auto dom = browser.open(html, "--dump-dom");
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  // One limit per recorded frame, as recorded.
  EXPECT_EQ(attribute_of(dom.out, "series-limit", "count"), std::to_string(run["decisions"].size()));
  std::string limits;
  for (const auto& d : run["decisions"]) {
    std::ostringstream v;
    v << d["limit_w"].get<double>();
    limits += (limits.empty() ? "" : " ") + v.str();
  }
  EXPECT_EQ(attribute_of(dom.out, "series-limit", "values"), limits);
  EXPECT_GE(std::stoul(attribute_of(dom.out, "series-intensity", "count")), 2u);
  EXPECT_EQ(attribute_of(dom.out, "series-power", "device"), "nvml:0");
  EXPECT_GE(std::stoul(attribute_of(dom.out, "series-power", "count")), 1u);
  // The GPU's energy bar holds the energy the store has for it.
  for (const auto& d : run["devices"]) {
    if (d["id"] != "nvml:0") continue;
    EXPECT_NEAR(std::stod(attribute_of(dom.out, "bar-energy", "energy-j")), d["energy_j"].get<double>(),
                1e-5 * d["energy_j"].get<double>());
  }
  EXPECT_EQ(count_of(dom.out, "class=\"max-limit\""), 1u);
  EXPECT_EQ(count_of(dom.out, "class=\"what-if what-if-location\""), 1u);
  EXPECT_EQ(count_of(dom.out, "class=\"what-if what-if-datacenter\""), 1u);
  EXPECT_FALSE(std::regex_search(dom.out, std::regex("\\b(nan|inf)\\b", std::regex::icase)));
  expect_drawn(browser, html, s.dir.path() / "run.png");
  if (const char* keep = std::getenv("CHASE_KEEP_SCREENSHOT"); keep != nullptr && *keep != '\0') {
    std::filesystem::copy_file(s.dir.path() / "run.png", keep, std::filesystem::copy_options::overwrite_existing);
  }
}

TEST(HtmlReportCli, AMeasuredRunHasNoLimitSeriesAndErrorsNameTheFile) {
  Browser browser;
  ASSERT_FALSE(browser.binary.empty()) << kNoChromium;
  Store s;
  const auto m = run_chase({"measure", "--json", "--device", "nvml:1", "--intensity", "400", "--interval-ms", "5",
                            "--powercap-root", "/nonexistent", "--", "sleep", "0.3"},
                           s.env());
  ASSERT_EQ(m.exit_code, 0) << m.err;
  const long id = nlohmann::json::parse(m.out)["run_id"].get<long>();
  const auto html = s.dir.path() / "measured.html";
  ASSERT_EQ(run_chase({"report", std::to_string(id), "--html", html.string()}, s.env()).exit_code, 0);
  const auto dom = browser.open(html, "--dump-dom");
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  EXPECT_EQ(count_of(dom.out, "series-limit"), 0u);
  EXPECT_EQ(count_of(dom.out, "class=\"max-limit\""), 0u);
  EXPECT_EQ(attribute_of(dom.out, "series-intensity", "values"), "400");
  EXPECT_EQ(attribute_of(dom.out, "bar-energy", "device"), "nvml:1");
  expect_drawn(browser, html, s.dir.path() / "measured.png");

  // A folder that is not there: exit 2, one line naming the file, nothing left behind.
  const auto missing = s.dir.path() / "no-such-folder" / "r.html";
  const auto bad = run_chase({"report", std::to_string(id), "--html", missing.string()}, s.env());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "chase: error: --html: cannot write " + missing.string() + ": No such file or directory\n");
  const auto no_run = run_chase({"report", "999", "--html", html.string()}, s.env());
  EXPECT_EQ(no_run.exit_code, 2);
  EXPECT_NE(no_run.err.find("no run 999"), std::string::npos) << no_run.err;
  const auto both = run_chase({"report", std::to_string(id), "--html", html.string(), "--statement"}, s.env());
  EXPECT_EQ(both.exit_code, 2);
}

}  // namespace
}  // namespace chase

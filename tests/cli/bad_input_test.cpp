// Bad input to every command, as a real process (issue 12): one table of cases, each a kind of
// mistake people make (a missing, empty or binary file; a huge, NaN, negative or wrongly-unitted
// number; an unknown name; an unreadable key file; an unreachable provider), and the contract
// every command keeps — exit 2 for bad usage or 1 for a runtime failure, nothing on stdout, one
// line on stderr that starts with "chase: error: " and names what was wrong, and no file it had
// already written (a decision log, a sampled CSV, a saved profile, a cache) changed.
//
// To add a case: one row in bad_inputs() below. `{dir}` in an argument is the test's temporary
// folder, where the files of make_files() are.

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::run_chase;

enum Exit { kUsage = 2, kRuntime = 1 };

struct BadInputCase {
  const char* kind;               // the kind of mistake
  std::vector<std::string> args;  // after `chase`; "{dir}" → the temporary folder
  Exit exit;
  std::string message;            // expected in the one stderr line
};

const std::string kProc = std::string(CHASE_FIXTURES_DIR) + "/proc/before";
// Devices through their seams: no GPU, no RAPL, the estimated CPU from a fixture /proc.
const std::vector<std::string> kNoHardware = {"--proc-root", kProc, "--powercap-root", "/nonexistent",
                                              "--nvml-library", "/nonexistent/libnvidia-ml.so.1"};

std::vector<std::string> cat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A row of a trace on the last day of 2200.
std::string fmt_hour(int hour) {
  char row[64];
  std::snprintf(row, sizeof row, "2200-12-31T%02d:00:00Z,%d\n", hour, 200 + hour);
  return row;
}

// The files the cases read, and the records they must leave alone.
void make_files(const test::TempDir& dir) {
  dir.write("empty.csv", "");
  std::string binary;
  for (int i = 0; i < 2048; ++i) binary.push_back(static_cast<char>((i * 7919 + 13) % 256));
  dir.write("binary.csv", binary);
  dir.write("header-only.csv", "timestamp,intensity_g_per_kwh\n");
  dir.write("nan.csv", "timestamp,intensity_g_per_kwh\n2020-01-01T00:00:00Z,nan\n2020-01-01T00:30:00Z,200\n");
  dir.write("negative.csv", "timestamp,intensity_g_per_kwh\n2020-01-01T00:00:00Z,-5\n2020-01-01T00:30:00Z,200\n");
  dir.write("g-per-mwh.csv", "timestamp,intensity_g_per_kwh\n2020-01-01T00:00:00Z,231000\n2020-01-01T00:30:00Z,"
                             "229000\n");
  dir.write("huge.csv", "timestamp,intensity_g_per_kwh\n2020-01-01T00:00:00Z,1e300\n2020-01-01T00:30:00Z,2e300\n");
  dir.write("wrong-columns.csv", "time,gco2\n2020-01-01T00:00:00Z,200\n");
  // Hourly up to 22:00 on the last day of 2200 (it ends at 23:00), and 40-minute steps whose
  // last runs into 2201.
  std::string near_2200 = "timestamp,intensity_g_per_kwh\n";
  for (int hour = 0; hour < 23; ++hour) near_2200 += fmt_hour(hour);
  dir.write("near-2200.csv", near_2200);
  dir.write("past-2200.csv", "timestamp,intensity_g_per_kwh\n2200-12-31T22:20:00Z,100\n2200-12-31T23:00:00Z,110\n"
                             "2200-12-31T23:40:00Z,120\n");
  dir.write("negative-profile.csv", "power_limit_w,time_s,energy_j\n300,10,-2900\n200,12,2500\n");
  dir.write("nan-profile.csv", "power_limit_w,time_s,energy_j\n300,nan,2900\n200,12,2500\n");
  std::filesystem::create_directories(dir.path() / "a-directory.key");
  dir.write("empty.key", "");
  ::chmod(dir.write("good.key", "a-key-that-no-server-will-see\n").c_str(), 0600);
  // Records from earlier runs that a refused command must not touch.
  dir.write("decisions.csv",
            "from,until,limit_w,predicted_g_per_kwh,actual_g_per_kwh,work_done_units,source,fallback\n"
            "2020-01-01T00:00:00Z,2020-01-01T00:05:00Z,250,200,210,0,\"trace:gb-2020\",false\n");
  dir.write("samples.csv", "time_s,device,power_w\n0.1,cpu,41.5\n");
  dir.write("saved-profile.csv", "power_limit_w,time_s,energy_j\n300,10,2900\n200,12,2500\n");
  // Values no GPU can have.
  dir.write("huge-limit-profile.csv", "power_limit_w,time_s,energy_j\n1e308,10,2900\n200,12,2500\n");
  dir.write("huge-power-profile.csv", "power_limit_w,time_s,energy_j\n300,10,1e308\n200,12,2500\n");
  dir.write("zero-limit-profile.csv", "power_limit_w,time_s,energy_j\n300,10,2900\n0,12,2500\n");
  // FIFOs that nothing writes to (a trace, a profile, a key file, a fake /proc's stat): each
  // refused after a short wait, never a hang.
  ::mkfifo((dir.path() / "fifo.csv").c_str(), 0600);
  std::filesystem::create_directories(dir.path() / "proc");
  ::mkfifo((dir.path() / "proc" / "stat").c_str(), 0600);
}

std::vector<BadInputCase> bad_inputs() {
  const std::vector<std::string> measure = cat({"measure"}, kNoHardware);
  const std::vector<std::string> run = cat({"run"}, kNoHardware);
  const std::vector<std::string> unreachable_uk = {"--provider", "uk-carbon-intensity", "--base-url",
                                                   "http://127.0.0.1:1", "--cache", "{dir}/cache.sqlite",
                                                   "--timeout-s", "1"};
  return {
      // A missing file, or a bundled name mistyped.
      {"missing", {"simulate", "--trace", "{dir}/nope.csv"}, kUsage, "--trace: '{dir}/nope.csv': no such file"},
      {"missing", {"simulate", "--profile", "{dir}/nope.csv"}, kUsage, "--profile: '{dir}/nope.csv': no such file"},
      {"missing", {"plan", "--traces", "gb-2020,{dir}/nope.csv"}, kUsage, "--traces: '{dir}/nope.csv': no such file"},
      {"missing", {"bench", "policies", "--profiles", "{dir}/nope.csv"}, kUsage, "--profiles: '{dir}/nope.csv'"},
      {"missing", {"forecast", "backtest", "--trace", "{dir}/nope.csv"}, kUsage, "--trace: '{dir}/nope.csv'"},
      {"missing", {"intensity", "--trace", "{dir}/nope.csv"}, kUsage, "--trace: '{dir}/nope.csv'"},
      {"missing", cat(run, {"--trace", "gb-2020", "--profile", "{dir}/nope.csv", "--", "true"}), kUsage,
       "--profile: '{dir}/nope.csv'"},
      // Empty files, and files with a header but no rows.
      {"empty", {"simulate", "--trace", "{dir}/empty.csv"}, kUsage, "--trace: {dir}/empty.csv: empty file"},
      {"empty", {"simulate", "--profile", "{dir}/empty.csv"}, kUsage, "--profile: {dir}/empty.csv: empty file"},
      {"empty", {"forecast", "--trace", "{dir}/header-only.csv"}, kUsage, "{dir}/header-only.csv: no data rows"},
      {"empty", {"intensity", "--provider", "electricitymaps", "--zone", "DE", "--key-file", "{dir}/empty.key"},
       kUsage, "{dir}/empty.key"},
      // Binary files where text was expected.
      {"binary", {"simulate", "--trace", "{dir}/binary.csv"}, kUsage, "--trace: {dir}/binary.csv:2: looks like a binary file"},
      {"binary", {"plan", "--profile", "{dir}/binary.csv"}, kUsage, "--profile: {dir}/binary.csv:2: looks like a binary file"},
      {"binary", {"bench", "policies", "--traces", "{dir}/binary.csv"}, kUsage, "--traces: {dir}/binary.csv:2: looks like a binary file"},
      // Numbers too large to be true, or whose result overflows.
      {"huge", {"simulate", "--trace", "{dir}/huge.csv"}, kUsage, "{dir}/huge.csv:2: column 'intensity_g_per_kwh': \"1e300\" is above 5000"},
      {"huge", {"estimate", "--hours", "1000", "--processors", "1e300", "--power-w", "1e300", "--pue", "1.1",
                "--intensity", "400"},
       kUsage, "overflows"},
      {"huge", {"compare", "--preset", "gpt-3", "--to-pue", "1e308"}, kUsage, "--to-pue: 1e308 must be within [1, 10]"},
      {"huge", {"compare", "--preset", "gpt-3", "--to-power-w", "1e308", "--speedup", "1"}, kUsage,
       "--to-power-w 1e308 --speedup 1: "},
      {"huge", {"compare", "--preset", "gpt-3", "--to-processor", "v100", "--speedup", "1e-308"}, kUsage,
       "--speedup 1e-308: training time"},
      // Each change alone is finite, together they overflow.
      {"huge", {"compare", "--preset", "gpt-3", "--to-pue", "10", "--to-power-w", "5e297", "--speedup", "1"}, kUsage,
       "--to-pue 10 + --to-power-w 5e297 --speedup 1: hours × processors × power per processor × PUE overflows"},
      {"huge", {"plan", "--energy-kwh", "1e308"}, kUsage, "--energy-kwh: 1e308 must be at most"},
      {"huge", {"plan", "--work-hours", "1e300"}, kUsage, "--work-hours: 1e300 must be at most"},
      {"huge", {"simulate", "--frame-minutes", "1e300"}, kUsage, "--frame-minutes: '1e300'"},
      {"huge", {"bench", "policies", "--traces", "gb-2020", "--every-hours", "1e-300"}, kUsage,
       "--every-hours: start times: a step of"},
      {"huge", {"plan", "--every-hours", "0.0001", "--regions", "gb"}, kUsage, "--every-hours: start times: a step of"},
      {"huge", {"simulate", "--frame-minutes", "0.0001"}, kUsage, "--frame-minutes: frames: a step of"},
      {"huge", {"simulate", "--frame-minutes", "0.001", "--work-hours", "0.5"}, kUsage, "too short to forecast"},
      {"huge", {"forecast", "backtest", "--trace", "gb-2020", "--frame-minutes", "1e-300"}, kUsage,
       "--frame-minutes: frames: a step of"},
      {"huge", cat(measure, {"--interval-ms", "1e13", "--", "true"}), kUsage, "--interval-ms: 1e13 must be within"},
      {"huge", cat(run, {"--region", "gb", "--progress-file", "{dir}/progress", "--profile-step-w", "1e-308", "--",
                         "true"}),
       kUsage, "--profile-step-w: 1e-308 must be within"},
      {"huge", {"forecast", "--trace", "gb-2020", "--horizon", "100000000"}, kUsage, "--horizon: 100000000"},
      {"huge", {"forecast", "backtest", "--trace", "gb-2020", "--horizon", "18446744073709551616"}, kUsage,
       "--horizon"},
      {"huge", {"plan", "--every-hours", "0.005", "--traces", "gb-2020"}, kUsage,
       "--every-hours: start times: a step of"},
      {"huge", {"estimate", "--hours", "1e308", "--processors", "8", "--power-w", "300", "--pue", "1.1",
                "--intensity", "400"},
       kUsage, "--hours: 1e308 must be at most"},
      {"huge", {"estimate", "--hours", "84", "--processors", "8", "--power-w", "300", "--pue", "1e100",
                "--intensity", "400"},
       kUsage, "--pue: 1e100 must be within"},
      {"negative", {"plan", "--top", "-1"}, kUsage, "--top"},
      // NaN where a number was expected.
      {"nan", {"simulate", "--work-hours", "nan"}, kUsage, "--work-hours: 'nan' is not a number"},
      {"nan", {"estimate", "--hours", "NaN", "--processors", "8", "--power-w", "300", "--pue", "1.1", "--intensity",
               "400"},
       kUsage, "--hours: 'NaN' is not a number"},
      {"nan", {"simulate", "--trace", "{dir}/nan.csv"}, kUsage, "{dir}/nan.csv:2: column 'intensity_g_per_kwh': \"nan\" is not a finite number"},
      {"nan", {"simulate", "--profile", "{dir}/nan-profile.csv"}, kUsage, "{dir}/nan-profile.csv:2: column 'time_s': \"nan\""},
      {"nan", cat(measure, {"--interval-ms", "nan", "--", "true"}), kUsage, "--interval-ms: 'nan'"},
      // Negative where only a positive makes sense.
      {"negative", {"simulate", "--work-hours", "-3"}, kUsage, "--work-hours: -3 must be positive"},
      {"negative", {"simulate", "--trace", "{dir}/negative.csv"}, kUsage, "{dir}/negative.csv:2: column 'intensity_g_per_kwh': \"-5\" is negative"},
      {"negative", {"simulate", "--profile", "{dir}/negative-profile.csv"}, kUsage, "{dir}/negative-profile.csv:2: column 'energy_j'"},
      {"negative", cat(measure, {"--intensity", "-1", "--", "true"}), kUsage, "--intensity: -1 must be within"},
      {"negative", {"compare", "--preset", "gpt-3", "--to-pue", "0.5"}, kUsage, "--to-pue"},
      {"negative", {"plan", "--every-hours", "-6"}, kUsage, "--every-hours: -6 must be positive"},
      // A number with its unit written in, or in the wrong unit.
      {"unit", {"estimate", "--hours", "84", "--processors", "8", "--power-w", "300W", "--pue", "1.1", "--intensity",
                "400"},
       kUsage, "--power-w: '300W' is not a number"},
      {"unit", {"simulate", "--work-hours", "24h"}, kUsage, "--work-hours: '24h' is not a number"},
      {"unit", {"simulate", "--frame-minutes", "5min"}, kUsage, "--frame-minutes: '5min'"},
      {"unit", {"simulate", "--trace", "{dir}/g-per-mwh.csv"}, kUsage, "(a value in g/MWh?)"},
      {"unit", {"estimate", "--hours", "84", "--processors", "8", "--power-w", "300", "--pue", "1.1", "--intensity",
                "429000"},
       kUsage, "--intensity: 429000 must be within [0, 5000]"},
      {"unit", {"simulate", "--slowdown-budget", "2.5%"}, kUsage, "--slowdown-budget: '2.5%'"},
      {"unit", {"simulate", "--trace", "{dir}/wrong-columns.csv"}, kUsage, "missing column 'timestamp'"},
      {"unit", {"simulate", "--start", "2020-13-01T00:00Z"}, kUsage, "--start: time stamp \"2020-13-01T00:00Z\" is not a valid date"},
      // Unknown names.
      {"unknown", {"simulate", "--policy", "greedy"}, kUsage, "--policy: unknown policy 'greedy'"},
      {"unknown", {"simulate", "--forecaster", "prophet"}, kUsage, "prophet"},
      {"unknown", {"estimate", "--preset", "gpt3"}, kUsage, "--preset: unknown model preset 'gpt3'"},
      {"unknown", {"compare", "--preset", "gpt-3", "--to-region", "mars"}, kUsage, "--to-region: unknown region"},
      {"unknown", {"intensity", "--provider", "nope"}, kUsage, "--provider: unknown provider 'nope'"},
      {"unknown", {"intensity", "--region", "atlantis"}, kUsage, "atlantis"},
      {"unknown", {"bench", "policies", "--policies", "max,greedy"}, kUsage, "--policies: unknown policy 'greedy'"},
      {"unknown", {"plan", "--regions", "gb,atlantis"}, kUsage, "--regions: unknown region 'atlantis'"},
      {"unknown", {"estimate", "--hours", "84", "--processors", "8", "--power-w", "300", "--pue", "1.1", "--region",
                   "germny"},
       kUsage, "--region: unknown region 'germny' (did you mean: Germany (DE)?)"},
      {"unknown", {"intensity", "--region", "united"}, kUsage,
       "--region: region 'united' is ambiguous (did you mean: United Kingdom (gb), United Arab Emirates (AE), United "
       "States (US)?)"},
      {"unknown", {"compare", "--preset", "gpt-3", "--to-region", "Germny"}, kUsage,
       "--to-region: unknown region 'Germny' (did you mean: Germany (DE)?)"},
      {"year", {"estimate", "--hours", "84", "--processors", "8", "--power-w", "300", "--pue", "1.1", "--region", "DEU",
                "--year", "2019"},
       kUsage, "--region: region DE has no figure for 2019 (years: 2021–2025)"},
      {"year", {"intensity", "--region", "RUS", "--year", "2024"}, kUsage,
       "--region: region RU has no figure by year, only Ember yearly average, year not given (leave out the year)"},
      {"year", {"estimate", "--hours", "84", "--processors", "8", "--power-w", "300", "--pue", "1.1", "--intensity", "300",
                "--year", "2024"},
       kUsage, "--year requires --region"},
      {"year", {"intensity", "--trace", "gb-2020", "--year", "2024"}, kUsage,
       "--year needs --region or a live --provider's fallback region"},
      {"year", {"intensity", "--region", "DE", "--year", "24"}, kUsage, "--year: Value 24 not in range 1900 to 2200"},
      {"unknown", cat(measure, {"--device", "gpu:7", "--", "true"}), kUsage, "gpu:7"},
      {"unknown", {"presets", "--kind", "gpus"}, kUsage, "gpus"},
      {"unknown", cat({"devices"}, {"--cpu-processor", "pentium-4"}), kUsage, "pentium-4"},
      {"negative", cat({"devices"}, {"--cpu-tdp-w", "-150"}), kUsage, "--cpu-tdp-w"},
      {"unit", {"intensity", "--provider", "uk-carbon-intensity", "--base-url", "ftp://example.org"}, kUsage,
       "--base-url: 'ftp://example.org' is not a usable http(s) URL: the scheme is not http or https"},
      {"empty", {"intensity", "--provider", "uk-carbon-intensity", "--base-url", ""}, kUsage,
       "--base-url: '' is not a usable http(s) URL"},
      {"unit", {"forecast", "--provider", "uk-carbon-intensity", "--base-url", "http://"}, kUsage, "--base-url"},
      {"unit", {"forecast", "--provider", "uk-carbon-intensity", "--base-url", "http:///intensity"}, kUsage,
       "--base-url: 'http:///intensity' is not a usable http(s) URL: no host"},
      // Times computed past the end of 2200 (the last one read): refused, naming what computed them.
      {"huge", {"forecast", "--trace", "{dir}/near-2200.csv", "--horizon", "2"}, kUsage,
       "--horizon: forecast frame +2 would end at 2201-01-01T01:00:00Z, past the end of 2200 (chase keeps times "
       "within the years 1970 to 2200, UTC)"},
      {"huge", {"forecast", "--trace", "{dir}/near-2200.csv", "--horizon", "48", "--json"}, kUsage,
       "--horizon: forecast frame +2 would end at 2201-01-01T01:00:00Z"},
      {"huge", {"intensity", "--trace", "{dir}/past-2200.csv", "--at", "2200-12-31T23:00:00Z"}, kUsage,
       "past-2200.csv: the last sample's step would end at 2201-01-01T00:20:00Z, past the end of 2200"},
      {"huge", {"simulate", "--trace", "{dir}/past-2200.csv", "--start", "2200-12-31T23:00:00Z"}, kUsage,
       "past-2200.csv: the last sample's step would end at 2201-01-01T00:20:00Z"},
      // URLs libcurl cannot parse, refused at once (they were retried 4 times, then fell back).
      {"unit", {"intensity", "--provider", "uk-carbon-intensity", "--base-url", "http://[::1"}, kUsage,
       "--base-url: 'http://[::1' is not a usable http(s) URL: "},
      {"unit", {"intensity", "--provider", "uk-carbon-intensity", "--base-url", "http://host:99999"}, kUsage,
       "--base-url: 'http://host:99999' is not a usable http(s) URL: "},
      {"unit", {"intensity", "--provider", "uk-carbon-intensity", "--base-url", "http://host:0/v1"}, kUsage,
       "--base-url: 'http://host:0/v1' is not a usable http(s) URL: port 0 is not in 1 to 65535"},
      {"unit", {"forecast", "--provider", "uk-carbon-intensity", "--base-url", "http://ho st"}, kUsage,
       "--base-url: 'http://ho st' is not a usable http(s) URL: "},
      {"unit", {"intensity", "--provider", "uk-carbon-intensity", "--base-url", "https://[::1]:65536"}, kUsage,
       "--base-url: 'https://[::1]:65536' is not a usable http(s) URL: "},
      // Key files that cannot be read.
      {"key", {"intensity", "--provider", "electricitymaps", "--zone", "DE", "--key-file", "{dir}/missing.key"}, kUsage,
       "{dir}/missing.key"},
      {"key", {"intensity", "--provider", "electricitymaps", "--zone", "DE", "--key-file", "{dir}/a-directory.key"},
       kUsage, "{dir}/a-directory.key: not a regular file"},
      // Providers that do not answer, where nothing can stand in: a runtime failure.
      {"unreachable", cat({"forecast"}, unreachable_uk), kRuntime, "Couldn't connect"},
      {"unreachable", {"intensity", "--provider", "electricitymaps", "--zone", "XX-NOWHERE", "--key-file",
                       "{dir}/good.key", "--base-url", "http://127.0.0.1:1", "--cache", "{dir}/cache.sqlite",
                       "--timeout-s", "1"},
       kRuntime, "nothing cached and no static fallback region"},
      {"huge", {"simulate", "--profile", "{dir}/huge-limit-profile.csv"}, kUsage,
       "--profile: {dir}/huge-limit-profile.csv:2: power limit 1e+308 W is above 5000 W"},
      {"huge", {"bench", "policies", "--profiles", "{dir}/huge-power-profile.csv"}, kUsage,
       "--profiles: {dir}/huge-power-profile.csv:2: average power 1e+308 J / 10 s = 1e+307 W is above 5000 W"},
      {"negative", {"plan", "--profile", "{dir}/zero-limit-profile.csv"}, kUsage,
       "{dir}/zero-limit-profile.csv:3: column 'power_limit_w': \"0\" must be positive"},
      // A FIFO that nothing writes to, where a file was expected.
      {"fifo", {"simulate", "--trace", "{dir}/fifo.csv"}, kUsage,
       "--trace: cannot read {dir}/fifo.csv: is a FIFO (named pipe) that nothing is writing to"},
      {"fifo", {"simulate", "--profile", "{dir}/fifo.csv"}, kUsage, "--profile: cannot read {dir}/fifo.csv: is a FIFO"},
      {"fifo", {"intensity", "--provider", "electricitymaps", "--zone", "DE", "--key-file", "{dir}/fifo.csv"}, kUsage,
       "{dir}/fifo.csv"},
      {"fifo", {"measure", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--powercap-root", "/nonexistent",
                "--proc-root", "{dir}/proc", "--", "true"},
       kRuntime, "cannot read {dir}/proc/stat: is a FIFO"},
      // An empty value for a flag that takes one: never the default in disguise.
      {"empty", {"simulate", "--start", ""}, kUsage, "--start: an empty value is not accepted"},
      {"empty", {"simulate", "--trace", ""}, kUsage, "--trace: an empty value is not accepted"},
      {"empty", cat(measure, {"--csv", "", "--", "true"}), kUsage, "--csv: an empty value is not accepted"},
      {"empty", cat(run, {"--decisions", "", "--region", "gb", "--profile", "a40-resnet50", "--", "true"}), kUsage,
       "--decisions: an empty value is not accepted"},
      {"empty", {"bench", "policies", "--policies", ""}, kUsage, "--policies: an empty value is not accepted"},
      {"empty", {"plan", "--window", ""}, kUsage, "--window: an empty value is not accepted"},
      {"empty", {"estimate", "--preset", ""}, kUsage, "--preset: an empty value is not accepted"},
      // A policy parameter outside the chosen policy's range: the message states the range checked.
      {"negative", {"simulate", "--eta", "0"}, kUsage, "policy 'chase' takes --eta within (0, 1], not 0"},
      {"negative", {"simulate", "--policy", "zeus", "--eta", "-0.5"}, kUsage, "--eta: -0.5 must be within [0, 1]"},
      // A list that names an item twice.
      {"repeated", {"bench", "policies", "--budgets", "0,0"}, kUsage, "--budgets: '0' is listed twice"},
      {"repeated", {"bench", "policies", "--budgets", "0.05,0,5e-2"}, kUsage, "--budgets: '5e-2' is listed twice"},
      {"repeated", {"bench", "policies", "--policies", "max,chase,max"}, kUsage, "--policies: 'max' is listed twice"},
      {"repeated", {"bench", "policies", "--traces", "gb-2020,gb-2020"}, kUsage, "--traces: 'gb-2020' is listed twice"},
      {"repeated", {"bench", "policies", "--profiles", "a40-resnet50,a40-resnet50"}, kUsage,
       "--profiles: 'a40-resnet50' is listed twice"},
      {"repeated", {"plan", "--regions", "gb,fr,gb"}, kUsage, "--regions: 'gb' is listed twice"},
      {"repeated", {"plan", "--traces", "gb-2020,fr-2020,gb-2020"}, kUsage, "--traces: 'gb-2020' is listed twice"},
      // The run store, reports and metrics endpoints.
      {"missing", {"runs", "list", "--db", "{dir}/nope.db"}, kUsage, "--db: no runs recorded in {dir}/nope.db"},
      {"binary", {"runs", "show", "1", "--db", "{dir}/binary.csv"}, kRuntime, "--db: run store {dir}/binary.csv: "},
      {"negative", {"runs", "show", "-3"}, kUsage, "-3"},
      {"unknown", {"runs", "prune"}, kUsage, "A subcommand is required"},
      {"unknown", {"report", "--statement", "--format", "pdf", "--runs", "1"}, kUsage, "--format"},
      {"negative", {"report", "--statement", "--pue", "0.5", "--runs", "1"}, kUsage, "--pue"},
      {"missing", {"report", "--statement"}, kUsage, "ID, --runs ID,ID... or --since DATE"},
      {"unit", cat(cat({"exporter"}, kNoHardware), {"--listen", "127.0.0.1:99999"}), kUsage,
       "--listen: '127.0.0.1:99999': port 99999 is outside 0..65535"},
      {"unit", cat(measure, {"--listen", "localhost", "--", "true"}), kUsage, "--listen: 'localhost' is not HOST:PORT"},
      {"unit", cat(run, {"--listen", "::1:9464", "--region", "gb", "--profile", "a40-resnet50", "--", "true"}), kUsage,
       "--listen: '::1:9464': write an IPv6 address in brackets"},
      {"empty", cat({"exporter"}, {"--listen", ""}), kUsage, "--listen: '' is not HOST:PORT"},
      {"huge", cat({"exporter"}, {"--for-seconds", "1e300"}), kUsage, "--for-seconds"},
      {"empty", cat(measure, {"--db", "", "--", "true"}), kUsage, "--db: an empty value is not accepted"},
      {"missing", cat(measure, {"--db", "/dev/null/runs.db", "--", "true"}), kUsage,
       "--db: run store /dev/null/runs.db: cannot open"},
      // Refused before the command starts, with records of an earlier run beside it.
      {"recorded", cat(run, {"--region", "gb", "--profile", "a40-resnet50", "--decisions", "{dir}/decisions.csv",
                             "--policy", "oracle", "--", "true"}),
       kUsage, "--policy: policy 'oracle' needs the true intensity"},
      {"recorded", cat(run, {"--trace", "gb-2020", "--profile", "a40-resnet50", "--decisions", "{dir}/decisions.csv",
                             "--", "true"}),
       kUsage, "--trace: bundled:traces/gb-2020.csv: "},
      {"recorded", cat(run, {"--progress-file", "{dir}/progress", "--save-profile", "{dir}/saved-profile.csv",
                             "--trace", "gb-2020", "--profile-step-w", "-25", "--", "true"}),
       kUsage, "--profile-step-w"},
      {"recorded", cat(measure, {"--csv", "{dir}/samples.csv", "--interval-ms", "-1", "--", "true"}), kUsage,
       "--interval-ms: -1 must be within [1, 3600000]"},
  };
}

std::string expand(std::string text, const std::string& dir) {
  for (std::size_t at = text.find("{dir}"); at != std::string::npos; at = text.find("{dir}", at + dir.size())) {
    text.replace(at, 5, dir);
  }
  return text;
}

std::map<std::string, std::string> snapshot(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    files[entry.path().filename().string()] = text.str();
  }
  return files;
}

TEST(BadInput, EveryCommandRefusesWithOneLineAndTheRightExitAndKeepsWhatWasRecorded) {
  test::TempDir dir;
  make_files(dir);
  const std::string d = dir.path().string();
  const auto cases = bad_inputs();
  std::map<std::string, int> kinds;
  for (const BadInputCase& c : cases) {
    std::vector<std::string> args;
    std::string shown = "chase";
    for (const std::string& a : c.args) {
      args.push_back(expand(a, d));
      shown += " " + a;
    }
    SCOPED_TRACE(std::string(c.kind) + ": " + shown);
    const auto before = snapshot(dir.path());
    const auto r = run_chase(args, {{"ELECTRICITYMAPS_API_KEY", ""}, {"WATTTIME_USER", ""}, {"WATTTIME_PASSWORD", ""}});
    EXPECT_EQ(r.exit_code, c.exit) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(r.err.rfind("chase: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(expand(c.message, d)), std::string::npos) << r.err;
    // Nothing already written changed (a cache may have been created, never altered).
    const auto after = snapshot(dir.path());
    for (const auto& [name, text] : before) {
      const auto it = after.find(name);
      ASSERT_NE(it, after.end()) << name << " was removed";
      if (name != "cache.sqlite") {
        EXPECT_EQ(it->second, text) << name << " changed";
      }
    }
    ++kinds[c.kind];
  }
  // Every kind the issue names has cases.
  for (const char* kind : {"missing", "empty", "binary", "huge", "nan", "negative", "unit", "unknown", "key",
                           "unreachable", "recorded", "fifo", "repeated"}) {
    EXPECT_GE(kinds[kind], 1) << kind;
  }
}

// Every subcommand appears in the table (a new command gets its bad inputs too).
TEST(BadInput, TheTableCoversEveryCommand) {
  const auto cases = bad_inputs();
  for (const char* command : {"estimate", "compare", "presets", "devices", "measure", "forecast", "intensity", "simulate", "bench",
                              "plan", "run"}) {
    const bool covered = std::any_of(cases.begin(), cases.end(), [&](const BadInputCase& c) {
      return !c.args.empty() && c.args.front() == command;
    });
    EXPECT_TRUE(covered) << command;
  }
}

}  // namespace
}  // namespace chase

#include "report/run_what_ifs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "account/hardware_presets.hpp"
#include "account/what_if_changes.hpp"
#include "carbon/region_table.hpp"

namespace chase {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::vector<ScenarioChange> zone_changes(std::size_t each_end) {
  std::vector<const RegionPreset*> regions;
  for (const RegionPreset& r : bundled_regions().all()) regions.push_back(&r);
  std::stable_sort(regions.begin(), regions.end(), [](const auto* a, const auto* b) { return a->gross < b->gross; });
  std::vector<ScenarioChange> out;
  for (std::size_t i = 0; i < regions.size(); ++i) {
    if (i < each_end || i + each_end >= regions.size()) out.push_back(location_change(*regions[i]));
  }
  return out;
}

// The one swap every metered device of the run matches, if any.
std::optional<ProcessorSwap> swap_for(const StoredRun& run, int& count) {
  for (const ProcessorSwap& swap : sourced_processor_swaps()) {
    count = 0;
    bool all = true;
    for (const RunDevice& d : run.devices) {
      if (d.metering == "none") continue;
      if (lower(d.name).find(swap.from_key) == std::string::npos) all = false;
      ++count;
    }
    if (all && count > 0) return swap;
  }
  return std::nullopt;
}

void unprice(WhatIfReport& report) {
  for (WhatIfRow& row : report.rows) row.step_factor = row.factor_vs_baseline = std::numeric_limits<double>::quiet_NaN();
  report.combined_factor = std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::vector<ProcessorSwap> sourced_processor_swaps() {
  std::vector<ProcessorSwap> swaps;
  for (const ProcessorPreset& to : bundled_processors().all()) {
    for (const ProcessorSpeedup& sp : to.speedups) swaps.push_back({sp.over, to.key, sp.factor, sp.source});
  }
  return swaps;
}

RunWhatIfs run_what_ifs(const StoredRun& run, std::size_t zones_each_end) {
  RunWhatIfs out;
  if (!(run.energy.joules() > 0) || !(run.time.seconds() > 0)) {
    out.note = "the run recorded no energy or no time: no what-ifs";
    return out;
  }
  out.priced = run.carbon.has_value();
  Scenario baseline;
  baseline.job = TrainingJob{run.time, 1.0, run.energy / run.time, 1.0};
  baseline.intensity = run.carbon ? *run.carbon / run.energy : CarbonIntensity::g_per_kwh(0);
  baseline.label = "this run as measured (device energy, PUE 1.0)";

  out.locations = compare_each(baseline, zone_changes(zones_each_end));
  const DatacenterTable& dcs = bundled_datacenters();
  out.datacenters = compare_each(baseline, {datacenter_change(dcs.get("google-georgia-2018")),
                                            datacenter_change(dcs.get("us-average-2018"))});
  int count = 0;
  if (const auto swap = swap_for(run, count)) {
    const ProcessorPreset& from = bundled_processors().get(swap->from_key);
    const ProcessorPreset& to = bundled_processors().get(swap->to_key);
    ScenarioChange change = processor_change(to.name, to.estimation_power(), swap->speedup, swap->source);
    change.label = fmt::format("{} x {} instead of {} ({})", count, to.name, from.name, change.label);
    change.processors = count;
    out.processor = compare_each(baseline, {change});
  } else {
    out.note = "no processor what-if: the presets give no sourced speedup from this run's processors (" +
               [&] {
                 std::string names;
                 for (const RunDevice& d : run.devices) {
                   if (d.metering != "none") names += (names.empty() ? "" : ", ") + d.name;
                 }
                 return names;
               }() +
               ")";
  }
  if (!out.priced) {
    for (auto* report : {&out.locations, &out.datacenters, &out.processor}) {
      if (*report) unprice(**report);
    }
  }
  return out;
}

}  // namespace chase

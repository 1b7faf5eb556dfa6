// `chase compare`: what location, datacenter, processor and sparsity do to one job's CO2e
// (Patterson et al. 2021), or one of the paper's worked examples step by step.

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>

#include "account/hardware_presets.hpp"
#include "account/model_presets.hpp"
#include "account/what_if.hpp"
#include "account/what_if_changes.hpp"
#include "carbon/region_catalog.hpp"
#include "cli/command.hpp"
#include "cli/flag_checks.hpp"
#include "cli/job_options.hpp"
#include "cli/text_table.hpp"
#include "core/quantity_format.hpp"
#include "export/comparison_export.hpp"

namespace chase::cli {
namespace {

struct CompareOptions {
  JobOptions job;
  std::string preset;
  std::string example;
  std::string to_region, to_datacenter, to_processor;
  double to_intensity = 0, to_pue = 0, to_power_w = 0, speedup = 0, sparse_fraction = 0;
  CLI::Option* to_intensity_opt = nullptr;
  CLI::Option* to_pue_opt = nullptr;
  CLI::Option* to_power_opt = nullptr;
  CLI::Option* speedup_opt = nullptr;
  CLI::Option* sparse_opt = nullptr;
  bool json = false;
};

// `change` with the flags it came from, so an error it leads to names them.
ScenarioChange from_flags(ScenarioChange change, std::string flags) {
  change.origin = std::move(flags);
  return change;
}

Scenario baseline_from(const CompareOptions& o) {
  if (o.preset.empty()) return job_scenario(o.job.resolve("or use --preset NAME / --example NAME"));
  return model_scenario(with_flag("--preset", [&]() -> const ModelPreset& { return bundled_models().get(o.preset); }));
}

std::optional<ScenarioChange> location_from(const CompareOptions& o) {
  if (!o.to_region.empty()) {
    const RegionPreset region = with_flag("--to-region", [&] { return resolve_region(o.to_region, o.job.year()); });
    return from_flags(location_change(region), "--to-region " + o.to_region);
  }
  if (o.to_intensity_opt->count() == 0) return std::nullopt;
  return from_flags(location_change(CarbonIntensity::g_per_kwh(o.to_intensity)),
                    "--to-intensity " + o.to_intensity_opt->as<std::string>());
}

std::optional<ScenarioChange> datacenter_from(const CompareOptions& o) {
  if (!o.to_datacenter.empty()) {
    return from_flags(datacenter_change(with_flag("--to-datacenter",
                                                  [&]() -> const DatacenterPreset& {
                                                    return bundled_datacenters().get(o.to_datacenter);
                                                  })),
                      "--to-datacenter " + o.to_datacenter);
  }
  if (o.to_pue_opt->count() == 0) return std::nullopt;
  return from_flags(datacenter_change(o.to_pue), "--to-pue " + o.to_pue_opt->as<std::string>());
}

std::optional<ScenarioChange> processor_from(const CompareOptions& o) {
  if (o.to_processor.empty() && o.to_power_opt->count() == 0) {
    if (o.speedup_opt->count() > 0) throw InputError("--speedup needs --to-processor or --to-power-w");
    return std::nullopt;
  }
  if (o.speedup_opt->count() == 0) {
    throw InputError("--speedup is required with --to-processor/--to-power-w (how many times faster the new "
                     "processor runs this job; e.g. 5.2 for TPU v2 vs P100 on Evolved Transformer)");
  }
  const std::string speedup = " --speedup " + o.speedup_opt->as<std::string>();
  if (o.to_power_opt->count() > 0) {
    return from_flags(processor_change(o.to_processor, Power::watts(o.to_power_w), o.speedup, ""),
                      "--to-power-w " + o.to_power_opt->as<std::string>() + speedup);
  }
  const ProcessorPreset& p =
      with_flag("--to-processor", [&]() -> const ProcessorPreset& { return bundled_processors().get(o.to_processor); });
  return from_flags(processor_change(o.to_processor, p.estimation_power(), o.speedup, p.source),
                    "--to-processor " + o.to_processor + speedup);
}

std::optional<ScenarioChange> sparsity_from(const CompareOptions& o) {
  if (o.sparse_opt->count() == 0) return std::nullopt;
  return from_flags(sparsity_change(o.sparse_fraction),
                    "--sparse-energy-fraction " + o.sparse_opt->as<std::string>());
}

std::vector<ScenarioChange> changes_from(const CompareOptions& o) {
  std::vector<ScenarioChange> changes;
  for (auto change : {location_from, datacenter_from, processor_from, sparsity_from}) {
    if (auto c = change(o)) changes.push_back(std::move(*c));
  }
  if (changes.empty()) {
    throw InputError("nothing to compare: give at least one of --to-region/--to-intensity, --to-datacenter/--to-pue, "
                     "--to-processor/--to-power-w with --speedup, --sparse-energy-fraction (or use --example NAME)");
  }
  return changes;
}

void print_report(const WhatIfReport& report) {
  std::cout << fmt::format("baseline: {}\n          energy {}, CO2e {}\n\n", report.baseline_scenario.label,
                           format_energy(report.baseline.energy), format_mass(report.baseline.co2e));
  TextTable table;
  table.column("factor", TextTable::Align::kLeft)
      .column(report.cumulative ? "then" : "change (alone)", TextTable::Align::kLeft)
      .column("energy")
      .column("CO2e")
      .column(report.cumulative ? "step" : "less CO2e");
  if (report.cumulative) table.column("vs baseline");
  for (const WhatIfRow& row : report.rows) {
    std::vector<std::string> cells{row.factor, row.label, format_energy(row.result.energy), format_mass(row.result.co2e),
                                   format_factor(row.step_factor)};
    if (report.cumulative) cells.push_back(format_factor(row.factor_vs_baseline));
    table.row(std::move(cells));
  }
  table.rule();
  std::vector<std::string> total{"combined", report.cumulative ? "all steps" : "all changes together",
                                 format_energy(report.combined.energy), format_mass(report.combined.co2e),
                                 format_factor(report.combined_factor)};
  if (report.cumulative) total.push_back(format_factor(report.combined_factor));
  table.row(std::move(total));
  std::cout << table.render();
}

void run_example(const std::string& name, bool json) {
  const WorkedExample& ex = with_flag("--example", [&]() -> const WorkedExample& { return bundled_examples().get(name); });
  const WhatIfReport report = compare_chain(ex.baseline, ex.steps);
  if (json) return print_json(worked_example_json(ex, report));
  std::cout << ex.title << "\n(" << ex.source << ")\n\n";
  print_report(report);
  std::cout << fmt::format("\ncomputed: {} less CO2e; paper: {} ({})\n", format_factor(report.combined_factor),
                           format_factor(ex.published_total_factor), ex.published_note);
  if (ex.published_baseline_co2e) {
    std::cout << fmt::format("baseline computed {} vs published {}\n", format_mass(report.baseline.co2e),
                             format_mass(*ex.published_baseline_co2e));
  }
}

void run(const CompareOptions& o) {
  if (!o.example.empty()) return run_example(o.example, o.json);
  const Scenario base = baseline_from(o);
  const WhatIfReport report = compare_each(base, changes_from(o));
  print_result(o.json, [&] { return comparison_json(report); }, [&] { print_report(report); });
}

}  // namespace

void add_compare_command(CLI::App& root, CommandStatus& /*status*/) {
  auto o = std::make_shared<CompareOptions>();
  CLI::App* cmd = root.add_subcommand(
      "compare", "How location, datacenter, processor and sparsity change one job's CO2e (Patterson et al. 2021)");
  o->job.add_to(*cmd);
  CLI::Option* preset = cmd->add_option("--preset", o->preset, "Use a Table 4 model as the baseline");
  CLI::Option* example = cmd->add_option("--example", o->example,
                                         "A worked example of the paper, step by step (transformer-57x, nas-correction)");
  CLI::Option* to_region = cmd->add_option("--to-region", o->to_region, "Run in this region instead");
  o->to_intensity_opt = cmd->add_option("--to-intensity", o->to_intensity, "... or at this gCO2e/kWh")->check(carbon_intensity());
  CLI::Option* to_dc = cmd->add_option("--to-datacenter", o->to_datacenter, "Run in this datacenter instead");
  o->to_pue_opt = cmd->add_option("--to-pue", o->to_pue, "... or at this PUE")->check(within(1.0, kHighestPue));
  CLI::Option* to_proc = cmd->add_option("--to-processor", o->to_processor, "Run on this processor instead (needs --speedup)");
  o->to_power_opt = cmd->add_option("--to-power-w", o->to_power_w, "... drawing this average power per processor")
                        ->check(positive());
  o->speedup_opt = cmd->add_option("--speedup", o->speedup, "How many times faster the new processor runs this job")
                       ->check(positive());
  o->sparse_opt = cmd->add_option("--sparse-energy-fraction", o->sparse_fraction,
                                  "A sparse model needing this fraction of the dense model's energy (0..1]")
                      ->check(positive_fraction());
  cmd->add_flag("--json", o->json, "Print JSON instead of a table");
  to_region->excludes(o->to_intensity_opt);
  to_dc->excludes(o->to_pue_opt);
  preset->excludes(example);
  for (CLI::Option* opt : o->job.options()) {
    preset->excludes(opt);
    example->excludes(opt);
  }
  for (CLI::Option* opt : {to_region, o->to_intensity_opt, to_dc, o->to_pue_opt, to_proc, o->to_power_opt, o->speedup_opt,
                           o->sparse_opt}) {
    example->excludes(opt);
  }
  cmd->footer(
      "Examples:\n"
      "  chase compare --example transformer-57x\n"
      "  chase compare --preset gpt-3 --to-region fr --to-datacenter hyperscale\n"
      "  chase compare --hours 84 --processors 8 --processor p100 --datacenter enterprise --region us-average \\\n"
      "                --to-region google-iowa --to-datacenter hyperscale --to-processor tpu-v2 --speedup 5.2 \\\n"
      "                --sparse-energy-fraction 0.1");
  cmd->callback([o] { run(*o); });
}

}  // namespace chase::cli

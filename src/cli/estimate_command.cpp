// `chase estimate`: the Patterson et al. 2021 footprint of one training job, or of the paper's
// Table 4 runs with the published figures beside ours.

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "account/deviation.hpp"
#include "account/model_presets.hpp"
#include "cli/command.hpp"
#include "cli/flag_checks.hpp"
#include "cli/job_options.hpp"
#include "cli/text_table.hpp"
#include "core/quantity_format.hpp"
#include "export/estimate_export.hpp"

namespace chase::cli {
namespace {

struct EstimateOptions {
  JobOptions job;
  std::string preset;
  bool all_presets = false;
  bool json = false;
};

void print_preset_table(const std::vector<const ModelPreset*>& presets) {
  TextTable table;
  table.column("model", TextTable::Align::kLeft)
      .column("processor", TextTable::Align::kLeft)
      .column("days")
      .column("chips")
      .column("W/chip")
      .column("PUE")
      .column("kgCO2e/kWh gross/net")
      .column("MWh chase")
      .column("MWh paper")
      .column("Δ")
      .column("net tCO2e chase")
      .column("net tCO2e paper")
      .column("Δ");
  for (const ModelPreset* m : presets) {
    const FootprintEstimate est = estimate_footprint(m->job, m->grid);
    table.row({m->name, m->processor, format_sig(m->job.training_time.days(), 3), fmt::format("{:.0f}", m->job.processors),
               fmt::format("{:.0f}", m->job.avg_power_per_processor.watts()), fmt::format("{:.2f}", m->job.pue),
               fmt::format("{:.3f} / {:.3f}", m->grid.gross.kg_per_kwh(), m->grid.net->kg_per_kwh()),
               format_sig(est.energy.mwh(), 4), format_sig(m->published_energy.mwh(), 4),
               format_pct(deviation_pct(est.energy.mwh(), m->published_energy.mwh())),
               format_sig(est.co2e.tonnes(), 4), format_sig(m->published_co2e_net.tonnes(), 4),
               format_pct(deviation_pct(est.co2e.tonnes(), m->published_co2e_net.tonnes()))});
  }
  std::cout << table.render();
  std::cout << "energy = days x 24 x chips x W/chip x PUE; net tCO2e = energy x net kgCO2e/kWh "
               "(Patterson et al. 2021, Section 2.5; inputs and published figures from its Table 4)\n";
}

void print_preset_details(const ModelPreset& m, const FootprintEstimate& est) {
  std::cout << fmt::format("\n{} ({}, {}, {})\n", m.name, m.developer, m.datacenter, m.when);
  if (m.parameters_billion) {
    std::cout << fmt::format("  parameters: {} B, {} % activated per token\n", format_sig(*m.parameters_billion, 3),
                             m.activated_per_token_pct ? format_sig(*m.activated_per_token_pct, 2) : "?");
  }
  std::cout << fmt::format("  gross CO2e: {} (paper: {})\n", format_mass(est.co2e_gross),
                           m.published_co2e_gross ? format_mass(*m.published_co2e_gross) : "n/a");
  if (est.co2e_24x7_cfe) {
    std::cout << fmt::format("  24/7 CFE view: gross x (1 - {:.0f} % CFE) = {}\n", *m.grid.cfe_fraction * 100,
                             format_mass(*est.co2e_24x7_cfe));
  }
  std::cout << "  source: " << m.source << "\n";
  if (!m.notes.empty()) std::cout << "  notes: " << m.notes << "\n";
}

void print_custom(const NamedJob& r, const FootprintEstimate& est) {
  TextTable table;
  table.column("quantity", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
  table.row({"training time", fmt::format("{} h", format_sig(r.job.training_time.hours(), 4))});
  table.row({"processors", format_sig(r.job.processors, 6) + (r.processor.empty() ? "" : " x " + r.processor)});
  table.row({"average power per processor", format_power(r.job.avg_power_per_processor)});
  table.row({"PUE", fmt::format("{:.2f}{}", r.job.pue, r.datacenter.empty() ? "" : " (" + r.datacenter + ")")});
  table.row({"grid intensity (gross)", fmt::format("{} gCO2e/kWh{}", format_sig(r.grid.gross.g_per_kwh(), 4),
                                                   r.region.empty() ? "" : ", " + r.region_basis)});
  if (r.grid.net) table.row({"grid intensity (net)", fmt::format("{} gCO2e/kWh", format_sig(r.grid.net->g_per_kwh(), 4))});
  if (r.grid.cfe_fraction) table.row({"24/7 carbon-free energy", fmt::format("{:.0f} %", *r.grid.cfe_fraction * 100)});
  table.rule();
  table.row({"energy", format_energy(est.energy)});
  table.row({est.headline_is_net ? "CO2e (net)" : "CO2e (gross)", format_mass(est.co2e)});
  if (est.headline_is_net) table.row({"CO2e (gross)", format_mass(est.co2e_gross)});
  if (est.co2e_24x7_cfe) table.row({"CO2e (gross x (1 - CFE))", format_mass(*est.co2e_24x7_cfe)});
  std::cout << table.render();
}

std::vector<const ModelPreset*> chosen_presets(const EstimateOptions& o) {
  std::vector<const ModelPreset*> presets;
  if (o.all_presets) {
    for (const auto& m : bundled_models().all()) presets.push_back(&m);
  } else {
    presets.push_back(&with_flag("--preset", [&]() -> const ModelPreset& { return bundled_models().get(o.preset); }));
  }
  return presets;
}

void run_presets(const EstimateOptions& o) {
  const std::vector<const ModelPreset*> presets = chosen_presets(o);
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const ModelPreset* m : presets) out.push_back(preset_estimate_json(*m, estimate_footprint(m->job, m->grid)));
    print_json(o.all_presets ? out : out.front());
    return;
  }
  print_preset_table(presets);
  if (!o.all_presets) print_preset_details(*presets.front(), estimate_footprint(presets.front()->job, presets.front()->grid));
}

void run(const EstimateOptions& o) {
  if (o.all_presets || !o.preset.empty()) return run_presets(o);
  const NamedJob r = o.job.resolve("or use --preset NAME / --all-presets");
  const FootprintEstimate est = estimate_footprint(r.job, r.grid);
  print_result(o.json, [&] { return estimate_json(r, est); }, [&] { print_custom(r, est); });
}

}  // namespace

void add_estimate_command(CLI::App& root, CommandStatus& /*status*/) {
  auto options = std::make_shared<EstimateOptions>();
  CLI::App* cmd = root.add_subcommand("estimate", "Energy and CO2e of a training job (Patterson et al. 2021)");
  options->job.add_to(*cmd);
  CLI::Option* preset = cmd->add_option("--preset", options->preset, "A model of the paper's Table 4 (see `chase presets`)");
  CLI::Option* all = cmd->add_flag("--all-presets", options->all_presets, "All six Table 4 models, ours beside the paper's");
  cmd->add_flag("--json", options->json, "Print JSON instead of a table");
  preset->excludes(all);
  for (CLI::Option* o : options->job.options()) {
    preset->excludes(o);
    all->excludes(o);
  }
  cmd->footer(
      "Examples:\n"
      "  chase estimate --all-presets\n"
      "  chase estimate --preset gpt-3 --json\n"
      "  chase estimate --hours 84 --processors 8 --processor p100 --datacenter us-average-2020 --region us-average\n"
      "  chase estimate --hours 100 --processors 64 --power-w 400 --pue 1.1 --intensity 350 --cfe 0.6");
  cmd->callback([options] { run(*options); });
}

}  // namespace chase::cli

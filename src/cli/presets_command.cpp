// `chase presets`: every bundled preset the estimator and compare accept, with its source.

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "account/hardware_presets.hpp"
#include "account/model_presets.hpp"
#include "account/what_if.hpp"
#include "carbon/region_catalog.hpp"
#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/quantity_format.hpp"
#include "export/presets_export.hpp"

namespace chase::cli {
namespace {

struct PresetsOptions {
  std::string kind = "all";
  bool json = false;
};

void print_tables(const PresetsOptions& o) {
  if (lists_kind(o.kind, "models")) {
    TextTable t;
    t.column("model (--preset)", TextTable::Align::kLeft).column("name", TextTable::Align::kLeft)
        .column("processor", TextTable::Align::kLeft).column("datacenter", TextTable::Align::kLeft)
        .column("when", TextTable::Align::kLeft);
    for (const auto& m : bundled_models().all()) t.row({m.key, m.name, m.processor, m.datacenter, m.when});
    std::cout << t.render() << "source: Patterson et al. 2021, Table 4\n\n";
  }
  if (lists_kind(o.kind, "processors")) {
    TextTable t;
    t.column("processor (--processor)", TextTable::Align::kLeft).column("kind", TextTable::Align::kLeft)
        .column("TDP").column("measured avg").column("source", TextTable::Align::kLeft);
    for (const auto& p : bundled_processors().all()) {
      t.row({p.key, p.kind, format_power(p.tdp), p.measured_avg ? format_power(*p.measured_avg) : "-", p.source});
    }
    std::cout << t.render() << "\n";
  }
  if (lists_kind(o.kind, "datacenters")) {
    TextTable t;
    t.column("datacenter (--datacenter)", TextTable::Align::kLeft).column("PUE")
        .column("source", TextTable::Align::kLeft);
    for (const auto& d : bundled_datacenters().all()) t.row({d.key, fmt::format("{:.2f}", d.pue), d.source});
    std::cout << t.render() << "\n";
  }
  if (lists_kind(o.kind, "regions")) {
    const RegionCatalog& catalog = region_catalog();
    TextTable t;
    t.column("region (--region)", TextTable::Align::kLeft).column("ISO", TextTable::Align::kLeft)
        .column("name", TextTable::Align::kLeft).column("year").column("years (--year)", TextTable::Align::kLeft)
        .column("gCO2e/kWh").column("net").column("CFE").column("source", TextTable::Align::kLeft);
    for (const RegionPlace& place : catalog.places()) {
      const RegionPreset& r = place.preferred();
      const std::vector<int> years = place.years();
      t.row({place.key, place.alpha_3.empty() ? "-" : place.alpha_2 + "/" + place.alpha_3, place.name,
             r.year != 0 ? std::to_string(r.year) : "-", years.empty() ? "-" : format_years(years),
             format_sig(r.gross.g_per_kwh(), 4), r.net ? format_sig(r.net->g_per_kwh(), 3) : "-",
             r.cfe_fraction ? fmt::format("{:.0f} %", *r.cfe_fraction * 100) : "-", r.source});
    }
    std::cout << t.render()
              << fmt::format("{} regions, by key, zone code, ISO code or English name (any case). Default year: {}, the "
                             "latest complete one of the Electricity Maps table (a preset: its own).\n"
                             "Data: Electricity Maps (ODbL 1.0), Ember (CC BY-SA 4.0); see data/README.md.\n\n",
                             catalog.places().size(), catalog.latest_complete_year());
  }
  if (lists_kind(o.kind, "examples")) {
    TextTable t;
    t.column("example (chase compare --example)", TextTable::Align::kLeft).column("title", TextTable::Align::kLeft);
    for (const auto& e : bundled_examples().all()) t.row({e.key, e.title});
    std::cout << t.render();
  }
}

}  // namespace

void add_presets_command(CLI::App& root, CommandStatus& /*status*/) {
  auto o = std::make_shared<PresetsOptions>();
  CLI::App* cmd = root.add_subcommand("presets", "List the bundled models, processors, datacenters, regions and examples");
  cmd->add_option("kind", o->kind, "Only one kind")
      ->check(CLI::IsMember({"all", "models", "processors", "datacenters", "regions", "examples"}));
  cmd->add_flag("--json", o->json, "Print JSON instead of tables");
  cmd->footer("Examples:\n  chase presets\n  chase presets regions --json");
  cmd->callback([o] {
    print_result(o->json, [&] { return presets_json(o->kind); }, [&] { print_tables(*o); });
  });
}

}  // namespace chase::cli

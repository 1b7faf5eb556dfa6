#include "account/model_presets.hpp"

#include "core/embedded_data.hpp"
#include "core/toml_fields.hpp"

namespace chase {

ModelTable parse_model_table(std::string_view toml_text, const std::string& source) {
  const toml::table root = parse_toml(toml_text, source);
  const toml::array* models = root["model"].as_array();
  if (models == nullptr) throw InputError(fmt::format("{}: expected [[model]] entries", source));
  std::vector<ModelPreset> rows;
  for (std::size_t i = 0; i < models->size(); ++i) {
    const toml::table* t = (*models)[i].as_table();
    if (t == nullptr) throw InputError(fmt::format("{}: model #{} is not a table", source, i + 1));
    const std::string where = fmt::format("{} model #{}", source, i + 1);
    ModelPreset m;
    m.key = toml_string(*t, "key", where);
    const std::string here = fmt::format("{} [{}]", source, m.key);
    m.name = toml_string(*t, "name", here);
    m.parameters_billion = toml_optional_number(*t, "parameters_billion", here);
    m.activated_per_token_pct = toml_optional_number(*t, "activated_per_token_pct", here);
    m.developer = toml_string(*t, "developer", here);
    m.datacenter = toml_string(*t, "datacenter", here);
    m.when = toml_string(*t, "when", here);
    m.processor = toml_string(*t, "processor", here);
    if (auto tdp = toml_optional_number(*t, "processor_tdp_w", here)) m.processor_tdp = Power::watts(*tdp);
    m.measured_tflops_per_s = toml_optional_number(*t, "measured_tflops_per_s", here);
    m.total_flops = toml_optional_number(*t, "total_flops", here);
    m.job.training_time = Duration::days(toml_number(*t, "training_days", here));
    m.job.processors = toml_number(*t, "processors", here);
    m.job.avg_power_per_processor = Power::watts(toml_number(*t, "avg_power_per_processor_w", here));
    m.job.pue = toml_number(*t, "pue", here);
    m.grid.gross = CarbonIntensity::kg_per_kwh(toml_number(*t, "gross_kg_per_kwh", here));
    m.grid.net = CarbonIntensity::kg_per_kwh(toml_number(*t, "net_kg_per_kwh", here));
    if (auto cfe = toml_optional_number(*t, "cfe_pct", here)) m.grid.cfe_fraction = *cfe / 100.0;
    m.published_energy = Energy::mwh(toml_number(*t, "published_mwh", here));
    if (auto g = toml_optional_number(*t, "published_gross_tco2e", here)) m.published_co2e_gross = Mass::tonnes(*g);
    m.published_co2e_net = Mass::tonnes(toml_number(*t, "published_net_tco2e", here));
    m.source = toml_string(*t, "source", here);
    m.notes = toml_string_or(*t, "notes", "", here);
    validate(m.job);
    validate(m.grid);
    rows.push_back(std::move(m));
  }
  return ModelTable("model preset", std::move(rows));
}

const ModelTable& bundled_models() {
  static const ModelTable table =
      parse_model_table(require_embedded("presets/models.toml"), "bundled:presets/models.toml");
  return table;
}

}  // namespace chase

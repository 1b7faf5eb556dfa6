#include "export/estimate_export.hpp"

#include "account/deviation.hpp"
#include "export/json_optional.hpp"

namespace chase {
namespace {

auto tonnes = [](const Mass& m) { return m.tonnes(); };
auto g_per_kwh = [](const CarbonIntensity& ci) { return ci.g_per_kwh(); };

}  // namespace

nlohmann::json estimate_json(const TrainingJob& job, const GridFactors& grid, const FootprintEstimate& est) {
  nlohmann::json j;
  j["hours"] = job.training_time.hours();
  j["training_days"] = job.training_time.days();
  j["processors"] = job.processors;
  j["power_w"] = job.avg_power_per_processor.watts();
  j["pue"] = job.pue;
  j["intensity_g_per_kwh"] = est.headline_is_net ? grid.net->g_per_kwh() : grid.gross.g_per_kwh();
  j["intensity_basis"] = est.headline_is_net ? "net" : "gross";
  j["gross_intensity_g_per_kwh"] = grid.gross.g_per_kwh();
  j["net_intensity_g_per_kwh"] = or_null(grid.net, g_per_kwh);
  j["cfe"] = or_null(grid.cfe_fraction);
  j["energy_kwh"] = est.energy.kwh();
  j["energy_mwh"] = est.energy.mwh();
  j["co2e_t"] = est.co2e.tonnes();
  j["co2e_kg"] = est.co2e.kilograms();
  j["co2e_gross_t"] = est.co2e_gross.tonnes();
  j["co2e_net_t"] = or_null(est.co2e_net, tonnes);
  j["co2e_24x7_cfe_t"] = or_null(est.co2e_24x7_cfe, tonnes);
  return j;
}

nlohmann::json estimate_json(const NamedJob& job, const FootprintEstimate& est) {
  nlohmann::json j = estimate_json(job.job, job.grid, est);
  j["processor"] = name_or_null(job.processor);
  j["datacenter"] = name_or_null(job.datacenter);
  j["region"] = name_or_null(job.region);
  j["region_basis"] = name_or_null(job.region_basis);
  return j;
}

nlohmann::json preset_estimate_json(const ModelPreset& m, const FootprintEstimate& est) {
  nlohmann::json j = estimate_json(m.job, m.grid, est);
  j["preset"] = m.key;
  j["model"] = m.name;
  j["parameters_billion"] = or_null(m.parameters_billion);
  j["activated_per_token_pct"] = or_null(m.activated_per_token_pct);
  j["developer"] = m.developer;
  j["datacenter"] = m.datacenter;
  j["when"] = m.when;
  j["processor"] = m.processor;
  j["processor_tdp_w"] = or_null(m.processor_tdp, [](const Power& p) { return p.watts(); });
  j["measured_tflops_per_s"] = or_null(m.measured_tflops_per_s);
  j["total_flops"] = or_null(m.total_flops);
  j["published_energy_mwh"] = m.published_energy.mwh();
  j["published_co2e_t"] = m.published_co2e_net.tonnes();
  j["published_co2e_gross_t"] = or_null(m.published_co2e_gross, tonnes);
  j["energy_deviation_pct"] = deviation_pct(est.energy.mwh(), m.published_energy.mwh());
  j["co2e_deviation_pct"] = deviation_pct(est.co2e.tonnes(), m.published_co2e_net.tonnes());
  j["source"] = m.source;
  j["notes"] = m.notes;
  return j;
}

}  // namespace chase

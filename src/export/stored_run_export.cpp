#include "export/stored_run_export.hpp"

#include <fmt/format.h>

#include "export/json_optional.hpp"

namespace chase {
namespace {

const RunDevice* device_at(const StoredRun& run, int index) {
  for (const RunDevice& d : run.devices) {
    if (d.index == index) return &d;
  }
  return nullptr;
}

nlohmann::json device_json(const RunDevice& d) {
  return {{"index", d.index},
          {"id", d.device_id},
          {"name", d.name},
          {"uuid", name_or_null(d.uuid)},
          {"backend", d.backend},
          {"metering", d.metering},
          {"reason", d.reason},
          {"estimated", d.estimated},
          {"rank", or_null(d.rank, [](int rank) { return rank; })},
          {"energy_j", or_null(d.energy, [](Energy e) { return e.joules(); })},
          {"carbon_g", or_null(d.carbon, [](Mass m) { return m.grams(); })}};
}

}  // namespace

nlohmann::json stored_run_json(const StoredRun& run) {
  nlohmann::json devices = nlohmann::json::array();
  for (const RunDevice& d : run.devices) devices.push_back(device_json(d));
  nlohmann::json profile = nlohmann::json::array();
  for (const RunProfilePoint& p : run.profile) {
    profile.push_back(
        {{"power_limit_w", p.limit.watts()}, {"time_s", p.time_per_unit.seconds()}, {"energy_j", p.energy_per_unit.joules()}});
  }
  nlohmann::json context = nlohmann::json::object();
  for (const auto& [name, value] : run.header.context) context[name] = value;
  return {{"id", run.id},
          {"kind", run.header.kind},
          {"status", to_string(run.status)},
          {"command", run.header.command},
          {"started", run.header.started_at.iso8601()},
          {"ended", or_null(run.ended_at, [](UtcTime t) { return t.iso8601(); })},
          {"time_s", run.time.seconds()},
          {"energy_j", run.energy.joules()},
          {"carbon_g", or_null(run.carbon, [](Mass m) { return m.grams(); })},
          {"exit_code", or_null(run.exit_code)},
          {"host", run.header.host},
          {"user", run.header.user},
          {"chase_version", run.header.chase_version},
          {"intensity_source", or_null(run.header.intensity_source)},
          {"intensity_basis", or_null(run.header.intensity_basis)},
          {"context", context},
          {"totals_from_samples", run.totals_from_samples},
          {"note", or_null(run.note)},
          {"devices", devices},
          {"profile", profile},
          {"samples", run.sample_count},
          {"steps", run.step_count},
          {"decisions", run.decision_count}};
}

nlohmann::json stored_runs_json(const std::vector<StoredRun>& runs) {
  nlohmann::json list = nlohmann::json::array();
  for (const StoredRun& r : runs) list.push_back(stored_run_json(r));
  return {{"runs", list}};
}

nlohmann::json stored_run_export_json(const StoredRun& run, const std::vector<PowerSample>& samples,
                                      const std::vector<PricedStep>& steps, const std::vector<RecordedDecision>& decisions) {
  nlohmann::json out = stored_run_json(run);
  nlohmann::json series = nlohmann::json::array();
  for (const PowerSample& s : samples) {
    const RunDevice* d = device_at(run, s.device_index);
    series.push_back({{"timestamp", s.at.iso8601()},
                      {"elapsed_s", (s.at - run.header.started_at).seconds()},
                      {"device", d != nullptr ? d->device_id : fmt::format("#{}", s.device_index)},
                      {"energy_j", s.energy.joules()},
                      {"avg_power_w", or_null(s.power, [](Power p) { return p.watts(); })}});
  }
  nlohmann::json priced = nlohmann::json::array();
  for (const PricedStep& s : steps) {
    priced.push_back({{"from", s.from.iso8601()},
                      {"until", s.until.iso8601()},
                      {"intensity_g_per_kwh", s.intensity.g_per_kwh()},
                      {"source", s.source},
                      {"fallback", s.fallback},
                      {"age_s", or_null(s.age, [](Duration d) { return d.seconds(); })},
                      {"energy_j", or_null(s.energy, [](Energy e) { return e.joules(); })},
                      {"carbon_g", or_null(s.carbon, [](Mass m) { return m.grams(); })}});
  }
  nlohmann::json frames = nlohmann::json::array();
  for (const RecordedDecision& d : decisions) {
    frames.push_back({{"frame", d.frame},
                      {"from", d.from.iso8601()},
                      {"until", d.until.iso8601()},
                      {"limit_w", d.limit.watts()},
                      {"predicted_g_per_kwh", d.predicted.g_per_kwh()},
                      {"actual_g_per_kwh", or_null(d.actual, [](CarbonIntensity c) { return c.g_per_kwh(); })},
                      {"source", d.source},
                      {"fallback", d.fallback}});
  }
  out["samples"] = series;
  out["intensity_steps"] = priced;
  out["decisions"] = frames;
  return out;
}

void write_stored_samples_csv(std::ostream& out, const StoredRun& run, const std::vector<PowerSample>& samples) {
  out << "timestamp,elapsed_s,device,energy_j,avg_power_w,estimated\n";
  for (const PowerSample& s : samples) {
    const RunDevice* d = device_at(run, s.device_index);
    out << fmt::format("{},{:.3f},{},{},{},{}\n", s.at.iso8601(), (s.at - run.header.started_at).seconds(),
                       d != nullptr ? d->device_id : fmt::format("#{}", s.device_index), s.energy.joules(),
                       s.power ? fmt::format("{}", s.power->watts()) : "", d != nullptr && d->estimated ? "true" : "false");
  }
}

}  // namespace chase

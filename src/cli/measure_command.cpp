// `chase measure -- CMD ARGS...`: runs CMD as a child and meters it — time, energy per device,
// average power and, with --region or --intensity, CO2e — through a Monitor window with the
// Sampler running. The child's exit status becomes chase's.

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "carbon/region_table.hpp"
#include "cli/child_process.hpp"
#include "cli/command.hpp"
#include "cli/constant_intensity_feed.hpp"
#include "cli/device_options.hpp"
#include "cli/flag_checks.hpp"
#include "cli/quantity_format.hpp"
#include "cli/text_table.hpp"
#include "energy/monitor.hpp"
#include "energy/sampler.hpp"

namespace chase::cli {
namespace {

struct MeasureOptions {
  DeviceOptions devices;
  std::vector<std::string> device_filter;
  double interval_ms = 100;
  std::string csv_path;
  bool json = false;
  std::string region;
  double intensity = 0;
  CLI::Option* region_opt = nullptr;
  CLI::Option* intensity_opt = nullptr;
  std::vector<std::string> command;
};

// --device takes ids ("nvml:0") or whole backends ("rapl").
std::vector<std::shared_ptr<PowerDevice>> select_devices(const std::vector<std::shared_ptr<PowerDevice>>& all,
                                                         const std::vector<std::string>& wanted) {
  if (wanted.empty()) return all;
  std::vector<std::shared_ptr<PowerDevice>> out;
  for (const auto& w : wanted) {
    bool matched = false;
    for (const auto& d : all) {
      if (d->id() == w || d->backend() == w) {
        matched = true;
        if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
      }
    }
    if (!matched) {
      std::vector<std::string> ids;
      for (const auto& d : all) ids.push_back(d->id());
      throw InputError(fmt::format("--device: no device or backend '{}' here (found: {}; see `chase devices`)", w,
                                   ids.empty() ? "none" : fmt::format("{}", fmt::join(ids, ", "))));
    }
  }
  return out;
}

// The time series as long-format CSV, one row per device per sample, flushed per sample so a
// crash loses nothing already sampled.
class CsvSink {
 public:
  CsvSink(const std::string& path, const std::vector<std::shared_ptr<PowerDevice>>& devices) {
    file_ = std::fopen(path.c_str(), "w");
    if (file_ == nullptr) throw InputError(fmt::format("--csv: cannot write {}: {}", path, std::strerror(errno)));
    for (const auto& d : devices) {
      ids_.push_back(d->id());
      estimated_.push_back(d->estimated());
    }
    std::fputs("timestamp,elapsed_s,device,energy_j,avg_power_w,estimated\n", file_);
  }
  ~CsvSink() {
    if (file_ != nullptr) std::fclose(file_);
  }
  CsvSink(const CsvSink&) = delete;
  CsvSink& operator=(const CsvSink&) = delete;

  void write(const SamplerSample& s) {
    const std::string time = s.time.iso8601();
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      const std::string power = s.average_power[i] ? fmt::format("{:.3f}", s.average_power[i]->watts()) : "";
      std::fputs(fmt::format("{},{:.3f},{},{:.3f},{},{}\n", time, s.elapsed.seconds(), ids_[i], s.energy[i].joules(), power,
                             estimated_[i] ? "true" : "false")
                     .c_str(),
                 file_);
    }
    if (std::fflush(file_) != 0) throw Error(fmt::format("writing the CSV failed: {}", std::strerror(errno)));
  }

 private:
  std::FILE* file_ = nullptr;
  std::vector<std::string> ids_;
  std::vector<bool> estimated_;
};

struct Pricing {
  std::unique_ptr<IntensityFeed> feed;
  CarbonIntensity intensity;
  std::string source;
};

std::optional<Pricing> pricing(const MeasureOptions& o) {
  if (o.region_opt->count() > 0) {
    const RegionPreset& r = with_flag("--region", [&]() -> const RegionPreset& { return bundled_regions().get(o.region); });
    const std::string source = fmt::format("region:{} ({} average)", r.key, r.year);
    return Pricing{std::make_unique<ConstantIntensityFeed>(r.gross, source), r.gross, source};
  }
  if (o.intensity_opt->count() > 0) {
    const auto ci = CarbonIntensity::g_per_kwh(o.intensity);
    return Pricing{std::make_unique<ConstantIntensityFeed>(ci, "--intensity"), ci, "--intensity"};
  }
  return std::nullopt;
}

nlohmann::json report_json(const MeasureOptions& o, const WindowResult& w, const ChildExit& child,
                           const std::optional<Pricing>& price, const DiscoveredDevices& found, const Sampler& sampler) {
  nlohmann::json j;
  j["command"] = o.command;
  j["exit_code"] = child.exit_code;
  j["signals_forwarded"] = child.forwarded;
  j["start"] = w.start.iso8601();
  j["end"] = w.end.iso8601();
  j["time_s"] = w.time.seconds();
  j["energy_j"] = w.energy.joules();
  j["avg_power_w"] = w.average_power().watts();
  j["estimated"] = w.any_estimated();
  j["devices"] = nlohmann::json::array();
  for (const auto& d : w.devices) {
    nlohmann::json row = {{"id", d.id},         {"name", d.name},
                          {"backend", d.backend}, {"estimated", d.estimated},
                          {"energy_j", d.energy.joules()}, {"avg_power_w", d.average_power.watts()}};
    if (d.carbon) row["carbon_g"] = d.carbon->grams();
    j["devices"].push_back(std::move(row));
  }
  if (price && w.carbon) {
    j["carbon_g"] = w.carbon->grams();
    j["intensity_g_per_kwh"] = price->intensity.g_per_kwh();
    j["intensity_source"] = price->source;
    j["energy_without_intensity_j"] = w.energy_without_intensity.joules();
  }
  j["sampler"] = {{"interval_ms", o.interval_ms}, {"samples", sampler.samples_taken()}, {"errors", sampler.errors()}};
  j["unavailable"] = nlohmann::json::array();
  for (const auto& b : found.backends) {
    if (b.state != BackendState::kAvailable && b.state != BackendState::kNotUsed) {
      j["unavailable"].push_back({{"backend", b.backend}, {"state", to_string(b.state)}, {"detail", b.detail}});
    }
  }
  return j;
}

void print_report(const MeasureOptions& o, const WindowResult& w, const ChildExit& child,
                  const std::optional<Pricing>& price, const std::vector<std::shared_ptr<PowerDevice>>& devices) {
  std::cout << fmt::format("command: {}\nexit code: {}{}\ntime: {}\n\n", fmt::join(o.command, " "), child.exit_code,
                           child.forwarded.empty() ? "" : fmt::format(" (forwarded {})", fmt::join(child.forwarded, ", ")),
                           format_duration(w.time));
  TextTable t;
  t.column("device", TextTable::Align::kLeft).column("backend", TextTable::Align::kLeft).column("kind", TextTable::Align::kLeft);
  t.column("energy").column("avg power");
  if (price) t.column("CO2e");
  for (const auto& d : w.devices) {
    std::vector<std::string> row{d.id, d.backend, d.estimated ? "estimated" : "measured", format_energy(d.energy),
                                 format_power(d.average_power)};
    if (price) row.push_back(format_mass(d.carbon.value_or(Mass())));
    t.row(std::move(row));
  }
  t.rule();
  std::vector<std::string> total{"total", "", w.any_estimated() ? "includes estimates" : "measured", format_energy(w.energy),
                                 format_power(w.average_power())};
  if (price) total.push_back(format_mass(w.carbon.value_or(Mass())));
  t.row(std::move(total));
  std::cout << t.render();
  for (const auto& d : devices) {
    if (d->estimated()) std::cout << fmt::format("{} is estimated, not measured: {}\n", d->id(), d->detail());
  }
  if (price) {
    std::cout << fmt::format("grid intensity: {} gCO2e/kWh ({})\n", format_sig(price->intensity.g_per_kwh(), 4),
                             price->source);
  }
}

void run(const MeasureOptions& o, CommandStatus& status) {
  if (o.command.empty()) throw InputError("no command to measure (usage: chase measure [options] -- CMD ARGS...)");
  const std::optional<Pricing> price = pricing(o);
  SystemClock clock;
  const DiscoveredDevices found = discover_devices(o.devices.resolve(), clock);
  const auto devices = select_devices(found.devices, o.device_filter);
  if (devices.empty()) throw HardwareError("no device to meter here (`chase devices` says why)");
  std::unique_ptr<CsvSink> csv;
  if (!o.csv_path.empty()) csv = std::make_unique<CsvSink>(o.csv_path, devices);

  Monitor monitor(devices, clock, price ? price->feed.get() : nullptr);
  const SignalBlock block;  // before the sampler thread starts, so that it inherits the mask
  Sampler::Sink sink;
  if (csv) sink = [&csv](const SamplerSample& s) { csv->write(s); };
  Sampler sampler(monitor, Duration::milliseconds(o.interval_ms), sink);
  monitor.begin("measure");
  pid_t pid = 0;
  try {
    pid = spawn_child(o.command, block);
  } catch (const ChildStartError& e) {
    sampler.stop();
    std::cerr << "chase: error: " << e.what() << '\n';
    status.exit_code = e.exit_code();
    return;
  }
  const ChildExit child = wait_for_child(pid, block);
  sampler.stop();
  const WindowResult w = monitor.end("measure");
  status.exit_code = child.exit_code;

  if (sampler.errors() > 0) {
    std::cerr << fmt::format("chase: warning: {} sample(s) failed, the last with: {}\n", sampler.errors(),
                             sampler.last_error());
  }
  if (!w.intensity_error.empty()) {
    std::cerr << fmt::format("chase: warning: {} of energy has no intensity: {}\n", format_energy(w.energy_without_intensity),
                             w.intensity_error);
  }
  if (o.json) {
    print_json(report_json(o, w, child, price, found, sampler));
  } else {
    print_report(o, w, child, price, devices);
  }
}

}  // namespace

void add_measure_command(CLI::App& root, CommandStatus& status) {
  auto o = std::make_shared<MeasureOptions>();
  CLI::App* cmd = root.add_subcommand("measure", "Run a command and meter its energy (and CO2e) on every device");
  o->devices.add_to(*cmd);
  cmd->add_option("--device", o->device_filter, "Meter only this device id or backend (repeatable; see `chase devices`)");
  cmd->add_option("--interval-ms", o->interval_ms, "Sampling period in ms")->check(positive())->capture_default_str();
  cmd->add_option("--csv", o->csv_path, "Write the sampled time series to this CSV file");
  cmd->add_flag("--json", o->json, "Print JSON instead of a table");
  o->region_opt = cmd->add_option("--region", o->region, "Price the energy at this region's average intensity");
  o->intensity_opt = cmd->add_option("--intensity", o->intensity, "Price the energy at this intensity, gCO2e/kWh")
                         ->check(non_negative());
  o->region_opt->excludes(o->intensity_opt);
  cmd->add_option("command", o->command, "The command and its arguments (after --)");
  cmd->footer(
      "The command runs without a shell; its exit status is chase's (127: not found, 126: not executable).\n"
      "SIGINT/SIGTERM/SIGHUP/SIGQUIT sent to chase are forwarded to it.\n"
      "Examples:\n"
      "  chase measure -- sleep 1\n"
      "  chase measure --region gb --json -- python train.py --epochs 3\n"
      "  chase measure --device nvml --interval-ms 50 --csv power.csv -- ./train.sh");
  cmd->callback([o, &status] { run(*o, status); });
}

}  // namespace chase::cli

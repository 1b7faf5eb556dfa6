// `chase measure -- CMD ARGS...`: runs CMD as a child and meters it — time, energy per device,
// average power and, with an intensity source (--provider, --region, --trace) or --intensity,
// CO2e as ∫P·CI dt on the source's own grid — through a Monitor window with the Sampler
// running. The child's exit status becomes chase's.

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "carbon/trace_source.hpp"
#include "cli/child_process.hpp"
#include "cli/command.hpp"
#include "cli/constant_intensity_feed.hpp"
#include "cli/device_options.hpp"
#include "cli/flag_checks.hpp"
#include "cli/intensity_options.hpp"
#include "cli/quantity_format.hpp"
#include "cli/text_table.hpp"
#include "cli/window_report.hpp"
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
  IntensityInputOptions source;  // --provider / --region / --trace
  double intensity = 0;
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

// What prices the energy: a constant (--intensity) or an intensity source. The Monitor reads the
// devices at every boundary of the source's grid, so a live source that changes during the run
// prices each stretch at its own value.
struct Pricing {
  std::unique_ptr<IntensityFeed> constant;  // owned only for --intensity
  IntensityFeed* feed = nullptr;
  std::string source;
};

std::optional<Pricing> pricing(MeasureOptions& o, const Clock& clock) {
  if (o.intensity_opt->count() > 0) {
    auto constant = std::make_unique<ConstantIntensityFeed>(CarbonIntensity::g_per_kwh(o.intensity), "--intensity");
    IntensityFeed* feed = constant.get();
    return Pricing{std::move(constant), feed, "--intensity"};
  }
  if (!o.source.given()) return std::nullopt;
  IntensitySource& source = o.source.source();
  if (o.source.is_trace()) {
    // A trace records the past; pricing a run happening now with it would be made up.
    const auto& trace = dynamic_cast<const TraceSource&>(source).trace();
    if (!trace.covers(clock.now())) {
      throw InputError(fmt::format("--trace: {} covers {} to {}, not now; price a run with --provider, --region or "
                                   "--intensity",
                                   trace.source(), trace.start().iso8601(), trace.end().iso8601()));
    }
  }
  return Pricing{nullptr, &source, source.name()};
}

nlohmann::json report_json(const MeasureOptions& o, const WindowResult& w, const ChildExit& child,
                           const std::optional<Pricing>& price, const DiscoveredDevices& found, const Sampler& sampler) {
  nlohmann::json j = window_json(w, price ? std::optional<std::string>(price->source) : std::nullopt);
  j["command"] = o.command;
  j["exit_code"] = child.exit_code;
  j["signals_forwarded"] = child.forwarded;
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
  print_window(w, price ? std::optional<std::string>(price->source) : std::nullopt, devices);
}

void run(MeasureOptions& o, CommandStatus& status) {
  if (o.command.empty()) throw InputError("no command to measure (usage: chase measure [options] -- CMD ARGS...)");
  SystemClock clock;
  const std::optional<Pricing> price = pricing(o, clock);
  const DiscoveredDevices found = discover_devices(o.devices.resolve(), clock);
  const auto devices = select_devices(found.devices, o.device_filter);
  if (devices.empty()) throw HardwareError("no device to meter here (`chase devices` says why)");
  std::unique_ptr<CsvSink> csv;
  if (!o.csv_path.empty()) csv = std::make_unique<CsvSink>(o.csv_path, devices);

  Monitor monitor(devices, clock, price ? price->feed : nullptr);
  const SignalBlock block;  // before the sampler thread starts, so that it inherits the mask
  Sampler::Sink sink;
  if (csv) sink = [&csv](const SamplerSample& s) { csv->write(s); };
  Sampler sampler(monitor, Duration::milliseconds(o.interval_ms), sink);
  monitor.begin("measure");
  const std::optional<pid_t> pid = spawn_child_or_report(o.command, block, status.exit_code);
  if (!pid) {
    sampler.stop();
    return;
  }
  const ChildExit child = wait_for_child(*pid, block);
  sampler.stop();
  const WindowResult w = monitor.end("measure");
  status.exit_code = child.exit_code;

  if (sampler.errors() > 0) {
    std::cerr << fmt::format("chase: warning: {} sample(s) failed, the last with: {}\n", sampler.errors(),
                             sampler.last_error());
  }
  warn_if_unpriced(w);
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
  o->source.add_to(*cmd, /*allow_region=*/true);
  o->intensity_opt = cmd->add_option("--intensity", o->intensity, "Price the energy at this intensity, gCO2e/kWh")
                         ->check(non_negative());
  for (const char* name : {"--trace", "--region", "--provider"}) o->intensity_opt->excludes(cmd->get_option(name));
  cmd->add_option("command", o->command, "The command and its arguments (after --)");
  cmd->footer(
      "The command runs without a shell; its exit status is chase's (127: not found, 126: not executable).\n"
      "SIGINT/SIGTERM/SIGHUP/SIGQUIT sent to chase are forwarded to it.\n"
      "Examples:\n"
      "  chase measure -- sleep 1\n"
      "  chase measure --region gb --json -- python train.py --epochs 3\n"
      "  chase measure --provider uk-carbon-intensity -- ./train.sh\n"
      "  chase measure --device nvml --interval-ms 50 --csv power.csv -- ./train.sh");
  cmd->callback([o, &status] { run(*o, status); });
}

}  // namespace chase::cli

// `chase forecast`: the next K frames of grid intensity from a trace (or a live provider), and
// `chase forecast backtest`: walk-forward accuracy of the forecasters on a trace.

#include <fmt/format.h>

#include <algorithm>

#include <iostream>
#include <memory>

#include "carbon/forecast/backtest_report.hpp"
#include "carbon/forecast/lag_features.hpp"
#include "carbon/forecast/forecaster.hpp"
#include "carbon/forecast/frame_forecast.hpp"
#include "carbon/intensity_trace.hpp"
#include "cli/command.hpp"
#include "cli/flag_checks.hpp"
#include "control/job_spec.hpp"
#include "cli/intensity_options.hpp"
#include "cli/text_table.hpp"
#include "core/quantity_format.hpp"
#include "export/forecast_export.hpp"

namespace chase::cli {
namespace {

// The longest forecast asked for, in frames: a week of 1-minute frames. Every forecaster looks
// back a day or a week; leads past that say nothing, and each costs memory per frame.
constexpr double kLongestHorizonFrames = 7 * 24 * 60;

// --frame-minutes: frames of this length, else the source's own resolution.
struct FrameFlag {
  double minutes = 0;
  CLI::Option* option = nullptr;

  void add_to(CLI::App& cmd, const std::string& help) {
    option = cmd.add_option("--frame-minutes", minutes, help)
                 ->check(positive())
                 ->check(at_most(kLongestJobHours * 60, "ten years"));
  }
  std::optional<Duration> length() const {
    if (option == nullptr || option->count() == 0) return std::nullopt;
    return Duration::minutes(minutes);
  }
};

struct BacktestOptions {
  std::string trace;
  std::string model = "default";
  bool all_models = false;
  std::vector<std::size_t> horizons{1};
  FrameFlag frame;
  bool json = false;
};

struct ForecastOptions {
  IntensityInputOptions input;
  std::string model = "default";
  std::size_t horizon = 1;
  FrameFlag frame;
  bool json = false;
};

std::string lead_label(std::size_t frames, Duration frame) {
  return fmt::format("{} ({})", frames, format_duration(frame * static_cast<double>(frames)));
}

BacktestReport run_backtests(const BacktestOptions& o) {
  const IntensityTrace trace = with_flag("--trace", [&] { return IntensityTrace::load(o.trace); });
  const FrameSeries series = with_flag("--frame-minutes", [&] { return frame_series(trace, o.frame.length()); });
  const std::vector<std::string> wanted = o.all_models ? forecaster_names() : std::vector<std::string>{o.model};
  // Models need to track leads only up to the longest asked (the default's cost per update).
  const std::size_t longest = o.horizons.empty() ? 0 : *std::max_element(o.horizons.begin(), o.horizons.end());
  return backtest_report(trace.source(), series, wanted, o.horizons, [longest](const std::string& name, Duration frame) {
    return with_flag("--model", [&] { return make_forecaster(name, frame, longest); });
  });
}

void print_backtest(const BacktestReport& report) {
  std::cout << fmt::format("{}: {} frames of {} ({} before the first scored forecast), {} frames in gaps not scored\n",
                           report.trace, report.frames, format_duration(report.frame), report.warmup_frames,
                           report.gap_frames);
  TextTable table;
  table.column("model", TextTable::Align::kLeft)
      .column("lead K (frames)")
      .column("MAPE %")
      .column("MAPE % leads 1..K")
      .column("MAE g/kWh")
      .column("vs persistence")
      .column("points");
  for (std::size_t k = 0; k < report.baseline().horizons.size(); ++k) {
    if (k > 0) table.rule();
    for (const auto& r : report.results) {
      const HorizonScore& s = r.horizons[k];
      table.row({r.model, lead_label(s.horizon_frames, report.frame), format_fixed(s.mape_pct, 2),
                 format_fixed(s.mape_pct_leads_1_to_h, 2), format_sig(s.mae.g_per_kwh(), 3),
                 r.model == "persistence" ? "" : format_pct(report.mape_vs_persistence_pct(s, k)),
                 std::to_string(s.points)});
    }
  }
  std::cout << table.render();
  std::cout << "walk-forward: each forecast uses only the frames before it; MAPE = mean |forecast - actual| / actual "
               "at lead K; 'leads 1..K' averages the MAPE of every lead up to K\n";
}

void run_backtest(const BacktestOptions& o) {
  const BacktestReport report = run_backtests(o);
  print_result(o.json, [&] { return backtest_json(report); }, [&] { print_backtest(report); });
}

void print_forecast(const ForecastOptions& o, const IntensityHistory& history, const FrameForecast& forecast) {
  std::cout << fmt::format("{}{}: {} frames of {} observed, last {} at {} gCO2e/kWh (stale_s {}); model {}\n",
                           history.source, history.fallback ? " (fallback)" : "", history.frames.size(),
                           format_duration(history.frame), forecast.last_observed.iso8601(),
                           format_sig(forecast.last_intensity.g_per_kwh(), 4),
                           history.stale ? format_sig(history.stale->seconds(), 3) : "-", o.model);
  if (auto failure = o.input.last_failure()) std::cout << "fallback: " << *failure << "\n";
  if (const std::size_t stride = day_sample_stride(history.frame); stride > 1) {
    std::cout << fmt::format("note: frames under 5 min: the models' day statistics read every {}th frame ({} a day at "
                             "most)\n",
                             stride, kMaxDaySamples);
  }
  TextTable table;
  table.column("frame").column("from", TextTable::Align::kLeft).column("until", TextTable::Align::kLeft).column("gCO2e/kWh");
  for (std::size_t h = 0; h < forecast.frames.size(); ++h) {
    const ForecastFrame& f = forecast.frames[h];
    table.row({fmt::format("+{}", h + 1), f.from.iso8601(), f.until.iso8601(), format_sig(f.intensity.g_per_kwh(), 4)});
  }
  std::cout << table.render();
}

void run_forecast(ForecastOptions& o) {
  const IntensityHistory history = o.input.history(o.frame.length());
  const auto model = with_flag("--model", [&] { return make_forecaster(o.model, history.frame, o.horizon); });
  // A frame past the end of 2200 is the horizon's doing: the error names --horizon.
  const FrameForecast forecast = with_flag("--horizon", [&] { return forecast_frames(*model, history, o.horizon); });
  print_result(
      o.json, [&] { return forecast_json(o.model, history, forecast, o.input.last_failure()); },
      [&] { print_forecast(o, history, forecast); });
}

std::string model_help() {
  std::string text = "Forecaster:";
  for (const std::string& name : forecaster_names()) text += fmt::format("\n  {}: {}", name, forecaster_description(name));
  return text;
}

}  // namespace

void add_forecast_command(CLI::App& root, CommandStatus& /*status*/) {
  auto f = std::make_shared<ForecastOptions>();
  CLI::App* cmd = root.add_subcommand("forecast", "Forecast grid carbon intensity for the next frames");
  cmd->require_subcommand(0, 1);
  f->input.add_to(*cmd, /*allow_region=*/false);
  cmd->add_option("--model", f->model, model_help())->capture_default_str();
  cmd->add_option("--horizon", f->horizon, "How many frames to forecast")
      ->capture_default_str()
      ->check(within(1, kLongestHorizonFrames));
  f->frame.add_to(*cmd, "Frame length (default: the source's own resolution)");
  cmd->add_flag("--json", f->json, "Print JSON instead of a table");
  cmd->footer(
      "Examples:\n"
      "  chase forecast --trace gb-2020 --horizon 8\n"
      "  chase forecast --trace my-grid.csv --model ridge --horizon 48 --json\n"
      "  chase forecast backtest --trace fr-2020 --all-models --horizon 1 --horizon 48");

  auto b = std::make_shared<BacktestOptions>();
  CLI::App* bt = cmd->add_subcommand("backtest", "Walk-forward accuracy (MAPE, MAE) of forecasters on a trace");
  bt->add_option("--trace", b->trace, "CSV file (timestamp,intensity_g_per_kwh) or a bundled trace name")->required();
  CLI::Option* model = bt->add_option("--model", b->model, model_help())->capture_default_str();
  CLI::Option* all = bt->add_flag("--all-models", b->all_models, "Backtest every model");
  model->excludes(all);
  bt->add_option("--horizon", b->horizons, "Lead time(s) in frames, repeatable (default 1)")
      ->check(within(1, kLongestHorizonFrames));
  b->frame.add_to(*bt, "Resample to frames of this length (default: the trace's typical step)");
  bt->add_flag("--json", b->json, "Print JSON instead of a table");
  bt->footer(
      "Examples:\n"
      "  chase forecast backtest --trace gb-2020 --model default\n"
      "  chase forecast backtest --trace ercot-2022 --all-models --horizon 1 --horizon 24\n"
      "  chase forecast backtest --trace bpa-2022 --model persistence --horizon 24 --json");
  bt->callback([b] { run_backtest(*b); });
  cmd->callback([f, bt] {
    if (bt->parsed()) return;
    run_forecast(*f);
  });
}

}  // namespace chase::cli

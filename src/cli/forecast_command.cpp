// `chase forecast`: the next K frames of grid intensity from a trace (or a live provider), and
// `chase forecast backtest`: walk-forward accuracy of the forecasters on a trace.

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "carbon/forecast/backtest.hpp"
#include "carbon/forecast/forecaster.hpp"
#include "carbon/intensity_trace.hpp"
#include "cli/command.hpp"
#include "cli/flag_checks.hpp"
#include "cli/intensity_options.hpp"
#include "cli/quantity_format.hpp"
#include "cli/text_table.hpp"

namespace chase::cli {
namespace {

struct BacktestOptions {
  std::string trace;
  std::string model = "default";
  bool all_models = false;
  std::vector<std::size_t> horizons{1};
  double frame_minutes = 0;
  CLI::Option* frame_opt = nullptr;
  bool json = false;
};

struct ForecastOptions {
  IntensityInputOptions input;
  std::string model = "default";
  std::size_t horizon = 1;
  double frame_minutes = 0;
  CLI::Option* frame_opt = nullptr;
  bool json = false;
};

std::optional<Duration> frame_flag(const CLI::Option* opt, double minutes) {
  if (opt == nullptr || opt->count() == 0) return std::nullopt;
  return Duration::minutes(minutes);
}

std::string lead_label(std::size_t frames, Duration frame) {
  return fmt::format("{} ({})", frames, format_duration(frame * static_cast<double>(frames)));
}

void run_backtest(const BacktestOptions& o) {
  const IntensityTrace trace = with_flag("--trace", [&] { return IntensityTrace::load(o.trace); });
  const FrameSeries series = with_flag("--frame-minutes", [&] { return frame_series(trace, frame_flag(o.frame_opt, o.frame_minutes)); });
  const std::size_t warmup = default_warmup_frames(series);
  std::vector<std::string> models = o.all_models ? forecaster_names() : std::vector<std::string>{o.model};
  // Persistence is the baseline every score is compared with.
  if (std::find(models.begin(), models.end(), "persistence") == models.end()) models.insert(models.begin(), "persistence");
  std::vector<BacktestResult> results;
  for (const std::string& name : models) {
    const auto model = with_flag("--model", [&] { return make_forecaster(name, series.frame); });
    results.push_back(backtest(*model, series, o.horizons, warmup));
  }
  const BacktestResult& baseline = results.front();
  const auto vs_persistence = [&](std::size_t k, const HorizonScore& s) {
    return 100.0 * (s.mape_pct / baseline.horizons[k].mape_pct - 1.0);
  };
  const auto score_json = [&](const BacktestResult& r, std::size_t k) {
    const HorizonScore& s = r.horizons[k];
    return nlohmann::json{{"model", r.model},
                          {"horizon_frames", s.horizon_frames},
                          {"horizon_minutes", (series.frame * static_cast<double>(s.horizon_frames)).minutes()},
                          {"mape_pct", s.mape_pct},
                          {"mape_pct_leads_1_to_h", s.mape_pct_leads_1_to_h},
                          {"mae_g_per_kwh", s.mae_g_per_kwh},
                          {"points", s.points},
                          {"zero_actuals", s.zero_actuals},
                          {"persistence_mape_pct", baseline.horizons[k].mape_pct},
                          {"mape_vs_persistence_pct", vs_persistence(k, s)}};
  };
  const bool single = !o.all_models && o.horizons.size() == 1;
  if (o.json) {
    nlohmann::json context{{"trace", trace.source()},
                           {"frame_minutes", series.frame.minutes()},
                           {"frames", series.frames.size()},
                           {"warmup_frames", warmup},
                           {"gap_frames", series.gap_frames}};
    if (single) {
      nlohmann::json j = score_json(results.back(), 0);
      j.update(context);
      print_json(j);
      return;
    }
    context["results"] = nlohmann::json::array();
    for (const auto& r : results) {
      if (!o.all_models && &r == &baseline && o.model != "persistence") continue;
      for (std::size_t k = 0; k < r.horizons.size(); ++k) context["results"].push_back(score_json(r, k));
    }
    print_json(context);
    return;
  }
  std::cout << fmt::format("{}: {} frames of {} ({} before the first scored forecast), {} frames in gaps not scored\n",
                           trace.source(), series.frames.size(), format_duration(series.frame), warmup,
                           series.gap_frames);
  TextTable table;
  table.column("model", TextTable::Align::kLeft)
      .column("lead K (frames)")
      .column("MAPE %")
      .column("MAPE % leads 1..K")
      .column("MAE g/kWh")
      .column("vs persistence")
      .column("points");
  for (std::size_t k = 0; k < o.horizons.size(); ++k) {
    if (k > 0) table.rule();
    for (const auto& r : results) {
      const HorizonScore& s = r.horizons[k];
      table.row({r.model, lead_label(s.horizon_frames, series.frame), fmt::format("{:.2f}", s.mape_pct),
                 fmt::format("{:.2f}", s.mape_pct_leads_1_to_h),
                 format_sig(s.mae_g_per_kwh, 3), r.model == "persistence" ? "" : format_pct(vs_persistence(k, s)),
                 std::to_string(s.points)});
    }
  }
  std::cout << table.render();
  std::cout << "walk-forward: each forecast uses only the frames before it; MAPE = mean |forecast - actual| / actual "
               "at lead K; 'leads 1..K' averages the MAPE of every lead up to K\n";
}

void run_forecast(ForecastOptions& o) {
  const IntensityHistory history = o.input.history(frame_flag(o.frame_opt, o.frame_minutes));
  const auto model = with_flag("--model", [&] { return make_forecaster(o.model, history.frame); });
  for (const IntensitySample& s : history.frames.samples()) model->observe(s);
  const std::vector<CarbonIntensity> forecast = model->predict(o.horizon);
  const UtcTime last = history.frames.samples().back().time;
  if (o.json) {
    nlohmann::json j{{"model", o.model},
                     {"source", history.source},
                     {"fallback", history.fallback},
                     {"stale_s", history.stale ? nlohmann::json(history.stale->seconds()) : nlohmann::json(nullptr)},
                     {"fallback_reason", o.input.last_failure() ? nlohmann::json(*o.input.last_failure()) : nlohmann::json(nullptr)},
                     {"frame_minutes", history.frame.minutes()},
                     {"history_frames", history.frames.size()},
                     {"last_observed", last.iso8601()},
                     {"last_intensity_g_per_kwh", history.frames.samples().back().intensity.g_per_kwh()},
                     {"horizon_frames", o.horizon},
                     {"frames", nlohmann::json::array()}};
    for (std::size_t h = 0; h < forecast.size(); ++h) {
      const UtcTime from = last + history.frame * static_cast<double>(h + 1);
      j["frames"].push_back({{"from", from.iso8601()},
                             {"until", (from + history.frame).iso8601()},
                             {"intensity_g_per_kwh", forecast[h].g_per_kwh()}});
    }
    print_json(j);
    return;
  }
  std::cout << fmt::format("{}{}: {} frames of {} observed, last {} at {} gCO2e/kWh (stale_s {}); model {}\n",
                           history.source, history.fallback ? " (fallback)" : "", history.frames.size(),
                           format_duration(history.frame), last.iso8601(),
                           format_sig(history.frames.samples().back().intensity.g_per_kwh(), 4),
                           history.stale ? format_sig(history.stale->seconds(), 3) : "-", o.model);
  if (auto failure = o.input.last_failure()) std::cout << "fallback: " << *failure << "\n";
  TextTable table;
  table.column("frame").column("from", TextTable::Align::kLeft).column("until", TextTable::Align::kLeft).column("gCO2e/kWh");
  for (std::size_t h = 0; h < forecast.size(); ++h) {
    const UtcTime from = last + history.frame * static_cast<double>(h + 1);
    table.row({fmt::format("+{}", h + 1), from.iso8601(), (from + history.frame).iso8601(),
               format_sig(forecast[h].g_per_kwh(), 4)});
  }
  std::cout << table.render();
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
  cmd->add_option("--horizon", f->horizon, "How many frames to forecast")->capture_default_str()->check(positive());
  f->frame_opt = cmd->add_option("--frame-minutes", f->frame_minutes,
                                 "Frame length (default: the source's own resolution)")->check(positive());
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
  bt->add_option("--horizon", b->horizons, "Lead time(s) in frames, repeatable (default 1)")->check(positive());
  b->frame_opt = bt->add_option("--frame-minutes", b->frame_minutes,
                                "Resample to frames of this length (default: the trace's typical step)")->check(positive());
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

#include "report/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/quantity_format.hpp"
#include "report/html_text.hpp"
#include "report/max_limit_estimate.hpp"
#include "report/run_what_ifs.hpp"
#include "report/svg_chart.hpp"

namespace chase {
namespace {

constexpr const char* kStyle = R"(
body { font-family: sans-serif; margin: 24px auto; max-width: 1000px; color: #1d2329; background: #ffffff; }
h1 { font-size: 1.5em; margin-bottom: 4px; }
h2 { font-size: 1.15em; margin-top: 28px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { text-align: left; padding: 3px 12px 3px 0; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
.status { display: inline-block; padding: 1px 8px; border-radius: 8px; background: #e6eef5; }
.status-completed { background: #d8f0dc; } .status-failed { background: #f7d9d9; }
.status-interrupted, .status-running { background: #f7ecd0; }
.note { color: #57606a; font-size: 0.9em; max-width: 900px; }
svg.chart { width: 100%; height: auto; display: block; margin: 8px 0; }
svg .axis { stroke: #57606a; stroke-width: 1; }
svg .grid { stroke: #e4e8ec; stroke-width: 1; }
svg .tick, svg .legend, svg .bar-value, svg .no-data { font-size: 12px; fill: #1d2329; }
svg .axis-label { font-size: 12px; fill: #57606a; }
svg .chart-title { font-size: 14px; font-weight: bold; fill: #1d2329; }
svg path.series { stroke-width: 2; }
svg rect.bar { fill: #2f7d4f; }
)";

const char* kDeviceColours[] = {"#1f6fb2", "#c2512f", "#7a4fb0", "#2f7d4f", "#b08a1f", "#3a8f96"};

std::string esc(const std::string& text) { return html_escape(text); }

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string row(const std::string& name, const std::string& value) {
  return fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", esc(name), esc(value));
}

UtcTime run_end(const StoredRun& run) { return run.ended_at.value_or(run.last_heartbeat); }

// The unit the time axis counts in, by the run's length.
struct TimeUnit {
  double seconds = 1;
  const char* name = "s";
};
TimeUnit time_unit(Duration span) {
  if (span.hours() >= 2) return {3600, "h"};
  if (span.minutes() >= 2) return {60, "min"};
  return {1, "s"};
}

std::string totals(const StoredRun& run) {
  std::string t = "<table class=\"totals\">\n";
  t += row("status", to_string(run.status));
  t += row("kind", run.header.kind == "run" ? "run (controlled: chase run)" : "measure (chase measure)");
  t += row("command", joined(run.header.command));
  t += row("host, user", run.header.host + ", " + run.header.user);
  t += row("started", run.header.started_at.iso8601());
  t += row("ended", run.ended_at ? run.ended_at->iso8601() : "— (last recorded " + run.last_heartbeat.iso8601() + ")");
  if (run.exit_code) t += row("exit code", std::to_string(*run.exit_code));
  t += row("time", format_duration(run.time));
  t += row("energy (devices)", format_energy(run.energy));
  t += row("CO2e", run.carbon ? format_mass(*run.carbon) : "— (not priced)");
  const double mean = run.carbon && run.energy.joules() > 0 ? (*run.carbon / run.energy).g_per_kwh() : kNotANumber;
  t += row("mean intensity", std::isfinite(mean) ? format_sig(mean, 4) + " gCO2e/kWh" : std::string(kUndefinedNumber));
  t += row("intensity source", run.header.intensity_source.value_or("— (none: unpriced)"));
  if (run.note) t += row("note", *run.note);
  t += row("recorded", fmt::format("{} power samples, {} intensity steps, {} frames", run.sample_count, run.step_count,
                                   run.decision_count));
  t += "</table>\n";
  if (run.totals_from_samples) {
    t += "<p class=\"note\">This run did not end: its totals are what its recorder wrote before it stopped.</p>\n";
  }
  return t;
}

std::string devices_section(const StoredRun& run) {
  double high = 0;
  for (const RunDevice& d : run.devices) {
    if (d.energy) high = std::max(high, d.energy->joules());
  }
  double scale = 1;
  std::string unit = "J";
  if (high >= 3.6e6) {
    scale = 3.6e6, unit = "kWh";
  } else if (high >= 3600) {
    scale = 3600, unit = "Wh";
  }
  BarChart chart{"Energy per device", "energy (" + unit + ")", "bar-energy", unit, {}};
  std::string table = "<table class=\"devices\"><tr><th>device</th><th>name</th><th>metering</th>"
                      "<th class=\"num\">energy</th><th class=\"num\">CO2e</th></tr>\n";
  for (const RunDevice& d : run.devices) {
    table += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                         esc(d.device_id), esc(d.name), esc(d.metering == "none" ? "not metered: " + d.reason : d.metering),
                         esc(d.energy ? format_energy(*d.energy) : kUndefinedNumber),
                         esc(d.carbon ? format_mass(*d.carbon) : kUndefinedNumber));
    if (d.metering == "none" || !d.energy) continue;
    chart.bars.push_back({d.device_id, d.energy->joules() / scale, format_energy(*d.energy),
                          {{"device", d.device_id}, {"energy-j", fmt::format("{:.6g}", d.energy->joules())}}});
  }
  table += "</table>\n";
  return "<h2>Energy per device</h2>\n" + render_bar_chart(chart) + table;
}

std::string intensity_section(const StoredRun& run, const RunSeries& s, const TimeUnit& tu) {
  const UtcTime start = run.header.started_at;
  const UtcTime end = run_end(run);
  auto x_of = [&](UtcTime t) { return (t - start).seconds() / tu.seconds; };
  LineChart chart;
  chart.title = s.decisions.empty() ? "Grid intensity" : "Grid intensity and the power limit of each frame";
  chart.x_label = fmt::format("time since start ({})", tu.name);
  chart.y_label = "intensity (gCO2e/kWh)";
  chart.unit = "gCO2e/kWh";
  chart.x_from = 0;
  chart.x_to = x_of(end);
  ChartSeries intensity{"series-intensity", "grid intensity", "#c2512f", SeriesShape::kStep, {}, 0, false, {}};
  // The steps clipped to the run (a trace's step may start before it or end after it).
  for (const PricedStep& step : s.steps) {
    const UtcTime from = std::max(step.from, start);
    const UtcTime until = std::min(step.until, end);
    if (until <= from) continue;
    intensity.points.push_back({x_of(from), step.intensity.g_per_kwh()});
    intensity.end_x = x_of(until);
  }
  intensity.data["source"] = run.header.intensity_source.value_or("");
  chart.series.push_back(intensity);
  if (!s.decisions.empty()) {
    chart.y2_label = "power limit (W)";
    chart.unit2 = "W";
    ChartSeries limit{"series-limit", "power limit per frame", "#1f6fb2", SeriesShape::kStep, {}, 0, true, {}};
    for (const RecordedDecision& d : s.decisions) limit.points.push_back({x_of(d.from), d.limit.watts()});
    limit.end_x = x_of(std::min(s.decisions.back().until, std::max(end, s.decisions.back().from)));
    limit.data["frames"] = std::to_string(s.decisions.size());
    chart.series.push_back(limit);
  }
  std::string out = "<h2>Grid intensity</h2>\n" + render_line_chart(chart);
  if (s.steps.empty()) out += "<p class=\"note\">No intensity steps were recorded: the run was not priced.</p>\n";
  return out;
}

std::string power_section(const StoredRun& run, const RunSeries& s, const TimeUnit& tu) {
  const UtcTime start = run.header.started_at;
  LineChart chart;
  chart.title = "Power per device (average since the previous sample)";
  chart.x_label = fmt::format("time since start ({})", tu.name);
  chart.y_label = "power (W)";
  chart.unit = "W";
  chart.x_from = 0;
  chart.x_to = (run_end(run) - start).seconds() / tu.seconds;
  std::map<int, std::vector<ChartPoint>> by_device;
  for (const PowerSample& p : s.samples) {
    if (p.power) by_device[p.device_index].push_back({(p.at - start).seconds() / tu.seconds, p.power->watts()});
  }
  std::size_t n = 0;
  for (const auto& [index, points] : by_device) {
    std::string id = std::to_string(index);
    for (const RunDevice& d : run.devices) {
      if (d.index == index) id = d.device_id;
    }
    ChartSeries series{"series-power", id, kDeviceColours[n++ % std::size(kDeviceColours)], SeriesShape::kLine, points,
                       0, false, {{"device", id}}};
    chart.series.push_back(std::move(series));
  }
  return "<h2>Power</h2>\n" + render_line_chart(chart);
}

int controlled_gpus(const StoredRun& run) {
  int n = 0;
  for (const RunDevice& d : run.devices) {
    if (d.backend == "nvml" && d.metering != "none") ++n;
  }
  return n;
}

std::string saving(double before, double after) {
  return before > 0 ? format_pct(100.0 * (after - before) / before) : std::string(kUndefinedNumber);
}

std::string max_limit_section(const StoredRun& run, const RunSeries& s) {
  if (run.header.kind != "run") return "";
  std::string out = "<h2>The same work at the maximum power limit</h2>\n";
  const int gpus = controlled_gpus(run);
  const auto e = gpus > 0 ? estimate_at_max_limit(s.decisions, run.profile, gpus, run_end(run)) : std::nullopt;
  if (!e) {
    return out + "<p class=\"note\">This controlled run recorded no frames, no profile or no GPU: nothing to estimate "
                 "from.</p>\n";
  }
  out += "<table class=\"max-limit\"><tr><th></th><th class=\"num\">time</th><th class=\"num\">energy (GPUs)</th>"
         "<th class=\"num\">CO2e</th></tr>\n";
  auto line = [&](const std::string& name, const LimitCost& c, const std::string& cls) {
    return fmt::format("<tr class=\"{}\"><th>{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td></tr>\n",
                       cls, esc(name), esc(format_duration(c.time)), esc(format_energy(c.energy)),
                       esc(format_mass(c.carbon)));
  };
  out += line("at the frames' limits (modelled)", e->as_run, "as-run");
  out += line(fmt::format("at the maximum limit, {}", format_power(e->max_limit)), e->at_max, "at-max");
  out += fmt::format("<tr class=\"change\"><th>this run vs the maximum limit</th><td class=\"num\">{}</td>"
                     "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n</table>\n",
                     esc(saving(e->at_max.time.seconds(), e->as_run.time.seconds())),
                     esc(saving(e->at_max.energy.joules(), e->as_run.energy.joules())),
                     esc(saving(e->at_max.carbon.grams(), e->as_run.carbon.grams())));
  out += fmt::format(
      "<p class=\"note\">Assumption: the work done is estimated, not measured. Each frame did its length × the "
      "profile's throughput at its limit (the profile point nearest it), on each of the {} GPU(s) alike: {} units of "
      "the profile's work per GPU. At the maximum limit the same work takes the profile's time and energy per unit "
      "there, starting with the first frame, its energy spread evenly over that time and priced with the frames' "
      "intensities (the last frame's holding past the run's end). Both rows are the profile's model; the GPUs "
      "measured {} in the run (every device: {}).</p>\n",
      gpus, esc(format_sig(e->work_units, 4)), esc([&] {
        Energy gpu_energy;
        for (const RunDevice& d : run.devices) {
          if (d.backend == "nvml" && d.energy) gpu_energy += *d.energy;
        }
        return format_energy(gpu_energy);
      }()),
      esc(format_energy(run.energy)));
  return out;
}

std::string what_if_table(const WhatIfReport& report, const std::string& cls, bool priced) {
  std::string out = fmt::format("<table class=\"what-if {}\"><tr><th>what if</th><th class=\"num\">energy</th>"
                                "<th class=\"num\">CO2e</th><th class=\"num\">this run ÷ it</th><th>source</th></tr>\n",
                                esc(cls));
  out += fmt::format("<tr class=\"baseline\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                     "<td class=\"num\">1.00x</td><td></td></tr>\n",
                     esc(report.baseline_scenario.label), esc(format_energy(report.baseline.energy)),
                     esc(priced ? format_mass(report.baseline.co2e) : kUndefinedNumber));
  for (const WhatIfRow& r : report.rows) {
    // A location row is priced by its zone; the others only by this run's own intensity.
    const bool has_co2e = priced || r.factor == "location";
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"note\">{}</td></tr>\n",
                       esc(r.label), esc(format_energy(r.result.energy)),
                       esc(has_co2e ? format_mass(r.result.co2e) : kUndefinedNumber),
                       esc(format_factor(r.factor_vs_baseline)), esc(r.source));
  }
  return out + "</table>\n";
}

std::string what_if_section(const StoredRun& run) {
  const RunWhatIfs w = run_what_ifs(run);
  std::string out = "<h2>What if (Patterson et al. 2021)</h2>\n"
                    "<p class=\"note\">The measured device energy of this run, recomputed as Patterson et al. (2021) "
                    "do: energy = hours × processors × average power × PUE, CO2e = energy × the grid's gross "
                    "intensity. Each row changes one factor.</p>\n";
  if (w.locations) out += "<h3>In other grid zones</h3>\n" + what_if_table(*w.locations, "what-if-location", w.priced);
  if (w.datacenters) {
    out += "<h3>In datacenters of other PUEs</h3>\n<p class=\"note\">Google's PUE of 1.10 and the US average of 1.58, "
           "as Patterson et al. (2021) quote them; the measured energy is the devices' alone (PUE 1.0).</p>\n" +
           what_if_table(*w.datacenters, "what-if-datacenter", w.priced);
  }
  if (w.processor) {
    out += "<h3>On another processor</h3>\n" + what_if_table(*w.processor, "what-if-processor", w.priced);
  }
  if (!w.note.empty()) out += "<p class=\"note\">" + esc(w.note) + ".</p>\n";
  return out;
}

}  // namespace

std::string render_html_report(const StoredRun& run, const RunSeries& series) {
  const TimeUnit tu = time_unit(run_end(run) - run.header.started_at);
  const std::string title = fmt::format("chase run {}: {}", run.id, joined(run.header.command));
  std::string page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<title>" + esc(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  page += fmt::format("<h1>{}</h1>\n<p><span class=\"status status-{}\">{}</span></p>\n", esc(title),
                      to_string(run.status), to_string(run.status));
  page += "<h2>Totals</h2>\n" + totals(run);
  page += devices_section(run);
  page += intensity_section(run, series, tu);
  page += power_section(run, series, tu);
  page += max_limit_section(run, series);
  page += what_if_section(run);
  page += fmt::format("<p class=\"note\">Written by chase {} from its run store.</p>\n</body>\n</html>\n",
                      esc(run.header.chase_version));
  return page;
}

}  // namespace chase

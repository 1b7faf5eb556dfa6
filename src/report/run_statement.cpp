#include "report/run_statement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "core/quantity_format.hpp"

namespace chase {
namespace {

std::string how_metered(const StatementProcessor& p) {
  if (p.estimated) return "estimated from its TDP and utilisation";
  if (p.metering == "counter") return p.backend == "rapl" ? "metered by its RAPL energy counter" : "metered by its energy counter";
  if (p.metering == "power-integration") return "metered by integrating its power readings";
  return "metered";
}

std::string processor_phrase(const StatementProcessor& p) {
  return fmt::format("{} × {} ({})", p.count, p.name, how_metered(p));
}

std::string tonnes(Mass m) { return fmt::format("{} tCO2e ({})", format_sig(m.grams() / 1e6, 3), format_mass(m)); }

std::string date_of(UtcTime t) { return t.iso8601().substr(0, 10); }

std::string sources_phrase(const RunStatement& s) {
  // One phrase per kind of source, naming every source of that kind.
  const std::pair<const char*, std::pair<const char*, const char*>> kinds[] = {
      {"live", {"the live provider", "the live providers"}},
      {"trace", {"a recorded trace", "recorded traces"}},
      {"static", {"a static yearly average", "static yearly averages"}},
      {"given", {"a fixed value given by the user", "fixed values given by the user"}}};
  std::vector<std::string> parts;
  for (const auto& [kind, words] : kinds) {
    std::vector<std::string> names;
    for (const StatementSource& src : s.sources) {
      if (src.kind == kind) names.push_back(src.name);
    }
    if (names.empty()) continue;
    if (std::string(kind) == "given") {
      parts.push_back(words.first);
    } else if (std::string(kind) == "live") {
      parts.push_back(fmt::format("{} {}", names.size() == 1 ? words.first : words.second, fmt::join(names, ", ")));
    } else {
      parts.push_back(fmt::format("{} ({})", names.size() == 1 ? words.first : words.second, fmt::join(names, ", ")));
    }
  }
  if (parts.empty()) return "no intensity source";
  if (parts.size() == 1) return parts.front();
  return fmt::format("{} and {}", fmt::join(parts.begin(), parts.end() - 1, ", "), parts.back());
}

// "DE 2024 (Electricity Maps yearly average); fr (France, 2020)": which figures, of which year.
std::string bases_phrase(const RunStatement& s) {
  std::vector<std::string> bases;
  for (const char* kind : {"live", "trace", "static", "given"}) {  // the order sources_phrase names them in
    for (const StatementSource& src : s.sources) {
      if (src.kind != kind || src.basis.empty()) continue;
      if (std::find(bases.begin(), bases.end(), src.basis) == bases.end()) bases.push_back(src.basis);
    }
  }
  return fmt::format("{}", fmt::join(bases, "; "));
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// TeX's special characters escaped, and the non-ASCII signs chase prints written as TeX.
std::string escape_latex(const std::string& plain) {
  std::string out;
  for (char c : plain) {
    switch (c) {
      case '%': out += "\\%"; break;
      case '_': out += "\\_"; break;
      case '&': out += "\\&"; break;
      case '#': out += "\\#"; break;
      case '$': out += "\\$"; break;
      case '{': out += "\\{"; break;
      case '}': out += "\\}"; break;
      default: out += c;
    }
  }
  out = replace_all(out, "×", "$\\times$");
  out = replace_all(out, "—", "---");
  return replace_all(out, "CO2e", "CO$_2$e");
}

double percent_of(Energy part, Energy whole) { return whole.joules() > 0 ? 100.0 * part.joules() / whole.joules() : 0; }

// Pairs of runs of one host that ran at the same time and metered a device in common: each
// counted that device's whole energy over the overlap.
std::vector<RunOverlap> overlapping_runs(const std::vector<StoredRun>& runs) {
  std::vector<RunOverlap> out;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    for (std::size_t j = i + 1; j < runs.size(); ++j) {
      const StoredRun& a = runs[i];
      const StoredRun& b = runs[j];
      if (a.header.host != b.header.host) continue;
      const UtcTime a_end = a.ended_at.value_or(a.last_heartbeat);
      const UtcTime b_end = b.ended_at.value_or(b.last_heartbeat);
      if (!(a.header.started_at < b_end && b.header.started_at < a_end)) continue;
      std::vector<std::string> shared;
      for (const RunDevice& da : a.devices) {
        if (da.metering == "none") continue;
        for (const RunDevice& db : b.devices) {
          if (db.metering != "none" && db.device_id == da.device_id) shared.push_back(da.device_id);
        }
      }
      if (!shared.empty()) out.push_back(RunOverlap{a.id, b.id, shared});
    }
  }
  return out;
}

}  // namespace

std::string intensity_source_kind(const std::string& source) {
  if (source.rfind("trace:", 0) == 0) return "trace";
  if (source.rfind("static:", 0) == 0) return "static";
  if (source == "--intensity") return "given";
  return "live";
}

std::optional<StatementFormat> parse_statement_format(const std::string& name) {
  if (name == "text") return StatementFormat::kText;
  if (name == "markdown") return StatementFormat::kMarkdown;
  if (name == "latex") return StatementFormat::kLatex;
  return std::nullopt;
}

RunStatement build_statement(const std::vector<StoredRun>& runs, std::optional<double> pue) {
  if (runs.empty()) throw InputError("no runs to state");
  if (pue && !(*pue >= 1.0)) throw InputError(fmt::format("--pue: {} is below 1 (a PUE is facility / IT energy)", *pue));
  RunStatement s;
  s.pue = pue.value_or(1.0);
  s.pue_given = pue.has_value();
  Energy priced_energy;
  Mass device_carbon;
  bool any_priced = false;
  std::map<std::string, StatementSource> sources;
  std::map<std::string, StatementProcessor> processors;
  std::vector<std::string> processor_order;

  for (const StoredRun& run : runs) {
    s.runs.push_back(run.id);
    const UtcTime end = run.ended_at.value_or(run.last_heartbeat);
    if (!s.first_start || run.header.started_at < *s.first_start) s.first_start = run.header.started_at;
    if (!s.last_end || *s.last_end < end) s.last_end = end;
    s.wall_time = s.wall_time + run.time;
    if (run.status == RunStatus::kInterrupted) ++s.interrupted_runs;
    if (run.status == RunStatus::kRunning) ++s.running_runs;
    s.device_energy = s.device_energy + run.energy;

    std::map<std::string, int> counts;
    for (const RunDevice& d : run.devices) {
      if (d.metering == "none") continue;
      const Energy e = d.energy.value_or(Energy::joules(0));
      (d.estimated ? s.estimated_energy : s.measured_energy) = (d.estimated ? s.estimated_energy : s.measured_energy) + e;
      const std::string key = d.name + "|" + d.backend + "|" + d.metering;
      auto [it, inserted] =
          processors.try_emplace(key, StatementProcessor{d.name, d.backend, d.metering, d.estimated, 0, 0, {}});
      if (inserted) processor_order.push_back(key);
      it->second.energy = it->second.energy + e;
      it->second.device_hours += run.time.seconds() / 3600.0;
      ++counts[key];
    }
    for (const auto& [key, n] : counts) processors[key].count = std::max(processors[key].count, n);

    if (run.carbon && run.header.intensity_source) {
      any_priced = true;
      device_carbon = device_carbon + *run.carbon;
      priced_energy = priced_energy + run.energy;
      // What actually priced the energy: the recorded steps' sources (a live provider's fallback
      // is named as what it was), else the source the run was started with.
      std::vector<std::pair<std::string, Energy>> used;
      for (const StepSourceShare& share : run.step_sources) {
        if (share.energy) used.emplace_back(share.source, *share.energy);
      }
      if (used.empty()) used.emplace_back(*run.header.intensity_source, run.energy);
      for (const auto& [name, energy] : used) {
        const bool started_with = name == *run.header.intensity_source;
        auto [it, inserted] = sources.try_emplace(name, StatementSource{name, intensity_source_kind(name), "", {}});
        if (started_with && it->second.basis.empty() && run.header.intensity_basis) {
          it->second.basis = *run.header.intensity_basis;
        }
        it->second.energy = it->second.energy + energy;
      }
    } else {
      s.unpriced_energy = s.unpriced_energy + run.energy;
    }
  }
  for (const std::string& key : processor_order) s.processors.push_back(processors[key]);
  s.overlaps = overlapping_runs(runs);
  for (auto& [name, source] : sources) s.sources.push_back(source);
  s.facility_energy = s.device_energy * s.pue;
  if (any_priced) {
    s.carbon = device_carbon * s.pue;
    if (priced_energy.joules() > 0) s.intensity = CarbonIntensity::g_per_kwh(device_carbon.grams() / priced_energy.kwh());
  }
  return s;
}

std::string render_statement(const RunStatement& s, StatementFormat format) {
  std::vector<std::string> processors;
  for (const StatementProcessor& p : s.processors) processors.push_back(processor_phrase(p));
  const std::string who = processors.empty() ? "no metered processor" : fmt::format("{}", fmt::join(processors, ", "));
  const double hours = s.wall_time.seconds() / 3600.0;
  std::string text = fmt::format(
      "{} run{} recorded by chase between {} and {} used {} for {} hours of wall time in total. ", s.runs.size(),
      s.runs.size() == 1 ? "" : "s", date_of(*s.first_start), date_of(*s.last_end), who, format_sig(hours, 3));
  text += fmt::format("The processors drew {} ({} measured, {} estimated)", format_energy(s.device_energy),
                      format_percent(percent_of(s.measured_energy, s.device_energy), 1),
                      format_percent(percent_of(s.estimated_energy, s.device_energy), 1));
  if (s.pue_given) {
    text += fmt::format("; with a datacenter PUE of {}, {} at the facility. ", format_fixed(s.pue, 2),
                        format_energy(s.facility_energy));
  } else {
    text += "; no datacenter PUE is applied (processor energy only). ";
  }
  if (s.carbon) {
    text += fmt::format("At an energy-weighted grid carbon intensity of {} gCO2e/kWh (gross, location-based; from {}), "
                        "this amounts to {}.",
                        s.intensity ? format_sig(s.intensity->g_per_kwh(), 3) : "—",
                        bases_phrase(s).empty() ? sources_phrase(s) : sources_phrase(s) + ": " + bases_phrase(s),
                        tonnes(*s.carbon));
    if (s.unpriced_energy.joules() > 0) {
      text += fmt::format(" {} of the energy was recorded without an intensity source and is not in that figure.",
                          format_energy(s.unpriced_energy));
    }
  } else {
    text += "No run was priced with a grid intensity, so no CO2e is stated.";
  }
  if (!s.overlaps.empty()) {
    std::vector<std::string> pairs;
    for (const RunOverlap& o : s.overlaps) {
      pairs.push_back(fmt::format("{} and {} ({})", o.first, o.second, fmt::join(o.devices, ", ")));
    }
    text += fmt::format(" Warning: runs {} ran at the same time on the same host and metered the same devices, so "
                        "those devices' energy is counted once per run; state them separately or keep one of each pair.",
                        fmt::join(pairs, "; "));
  }
  if (s.interrupted_runs > 0) {
    text += fmt::format(" {} run(s) were interrupted (chase stopped before they ended); their figures are what was "
                        "recorded until then.",
                        s.interrupted_runs);
  }
  if (s.running_runs > 0) {
    text += fmt::format(" {} run(s) are still running; their figures are what was recorded so far.", s.running_runs);
  }

  const std::string figures_rows[][2] = {
      {"runs", fmt::format("{}", fmt::join(s.runs, ", "))},
      {"processors", who},
      {"wall time", fmt::format("{} h", format_sig(hours, 4))},
      {"processor energy", format_energy(s.device_energy)},
      {"measured / estimated", fmt::format("{} / {}", format_energy(s.measured_energy), format_energy(s.estimated_energy))},
      {"PUE applied", s.pue_given ? format_fixed(s.pue, 2) : "none (1.00)"},
      {"facility energy", format_energy(s.facility_energy)},
      {"grid intensity", s.intensity ? fmt::format("{} gCO2e/kWh (gross)", format_sig(s.intensity->g_per_kwh(), 4)) : "—"},
      {"intensity source", sources_phrase(s)},
      {"intensity figures", bases_phrase(s).empty() ? "—" : bases_phrase(s)},
      {"CO2e", s.carbon ? tonnes(*s.carbon) : "—"}};

  switch (format) {
    case StatementFormat::kText: {
      std::string out = text + "\n\n";
      for (const auto& row : figures_rows) out += fmt::format("{:<22}{}\n", row[0], row[1]);
      return out;
    }
    case StatementFormat::kMarkdown: {
      std::string out = text + "\n\n| figure | value |\n|---|---|\n";
      for (const auto& row : figures_rows) out += fmt::format("| {} | {} |\n", row[0], row[1]);
      return out;
    }
    case StatementFormat::kLatex: {
      std::string out = escape_latex(text) + "\n\n\\begin{tabular}{ll}\n\\hline\nFigure & Value \\\\\n\\hline\n";
      for (const auto& row : figures_rows) out += fmt::format("{} & {} \\\\\n", escape_latex(row[0]), escape_latex(row[1]));
      return out + "\\hline\n\\end{tabular}\n";
    }
  }
  return text;
}

}  // namespace chase

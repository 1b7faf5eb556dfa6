// The Patterson et al. 2021 estimator: estimate() (a job from numbers or presets, as `chase
// estimate`), estimate_preset() (a Table 4 run, beside the paper's figures) and compare() (what
// if the location, datacenter, processor or sparsity changed, as `chase compare`).

#include <pybind11/stl.h>

#include <cmath>
#include <fmt/format.h>

#include "account/job_request.hpp"
#include "account/model_presets.hpp"
#include "account/what_if_changes.hpp"
#include "bindings.hpp"
#include "carbon/region_catalog.hpp"
#include "core/error.hpp"
#include "export/comparison_export.hpp"
#include "export/estimate_export.hpp"

namespace py = pybind11;

namespace chase::python {
namespace {

struct Estimate {
  NamedJob job;
  FootprintEstimate result;
  const ModelPreset* preset = nullptr;  // a Table 4 run: its published figures
};

// None for an undefined factor (NaN: a change to 0 g), never NaN.
std::optional<double> defined(double v) { return std::isfinite(v) ? std::optional<double>(v) : std::nullopt; }

std::optional<double> kg(const std::optional<Mass>& m) { return m ? std::optional<double>(m->kilograms()) : std::nullopt; }

Estimate estimate(std::optional<double> hours, std::optional<double> processors, std::optional<double> power_w,
                  const std::optional<std::string>& processor, std::optional<double> pue,
                  const std::optional<std::string>& datacenter, std::optional<double> intensity,
                  const std::optional<std::string>& region, std::optional<int> year, std::optional<double> cfe) {
  JobRequest q;
  if (hours) q.training_time = Duration::hours(*hours);
  q.processors = processors;
  if (power_w) q.power_per_processor = Power::watts(*power_w);
  q.processor = processor.value_or("");
  q.pue = pue;
  q.datacenter = datacenter.value_or("");
  if (intensity) q.intensity = CarbonIntensity::g_per_kwh(*intensity);
  q.region = region.value_or("");
  if (year && region.value_or("").empty()) throw InputError("year needs region");
  q.year = year;
  q.cfe_fraction = cfe;
  if (power_w && processor) throw InputError("give power_w or processor, not both");
  if (pue && datacenter) throw InputError("give pue or datacenter, not both");
  if (intensity && region) throw InputError("give intensity_g_per_kwh or region, not both");
  Estimate e;
  e.job = resolve_job(q, JobFieldNames{});
  e.result = estimate_footprint(e.job.job, e.job.grid);
  return e;
}

Estimate estimate_preset(const std::string& name) {
  const ModelPreset& m = bundled_models().get(name);
  Estimate e;
  e.job.job = m.job;
  e.job.grid = m.grid;
  e.job.processor = m.processor;
  e.job.datacenter = m.datacenter;
  e.result = estimate_footprint(m.job, m.grid);
  e.preset = &m;
  return e;
}

// The changes asked for, each labelled with the keyword it came from (errors name it).
std::vector<ScenarioChange> changes(const std::optional<std::string>& to_region, std::optional<int> year,
                                    std::optional<double> to_intensity, const std::optional<std::string>& to_datacenter,
                                    std::optional<double> to_pue, const std::optional<std::string>& to_processor,
                                    std::optional<double> to_power_w, std::optional<double> speedup,
                                    std::optional<double> sparse_energy_fraction) {
  auto from = [](ScenarioChange c, std::string origin) {
    c.origin = std::move(origin);
    return c;
  };
  std::vector<ScenarioChange> out;
  if (to_region && to_intensity) throw InputError("give to_region or to_intensity_g_per_kwh, not both");
  if (to_region) out.push_back(from(location_change(resolve_region(*to_region, year)), "to_region " + *to_region));
  if (to_intensity) {
    out.push_back(from(location_change(CarbonIntensity::g_per_kwh(*to_intensity)), fmt::format("to_intensity_g_per_kwh {}", *to_intensity)));
  }
  if (to_datacenter && to_pue) throw InputError("give to_datacenter or to_pue, not both");
  if (to_datacenter) {
    out.push_back(from(datacenter_change(bundled_datacenters().get(*to_datacenter)), "to_datacenter " + *to_datacenter));
  }
  if (to_pue) out.push_back(from(datacenter_change(*to_pue), fmt::format("to_pue {}", *to_pue)));
  if (to_processor || to_power_w) {
    if (!speedup) throw InputError("speedup is required with to_processor/to_power_w (how many times faster the new processor runs this job)");
    if (to_power_w) {
      out.push_back(from(processor_change(to_processor.value_or(""), Power::watts(*to_power_w), *speedup, ""),
                         fmt::format("to_power_w {} speedup {}", *to_power_w, *speedup)));
    } else {
      const ProcessorPreset& p = bundled_processors().get(*to_processor);
      out.push_back(from(processor_change(*to_processor, p.estimation_power(), *speedup, p.source),
                         fmt::format("to_processor {} speedup {}", *to_processor, *speedup)));
    }
  } else if (speedup) {
    throw InputError("speedup needs to_processor or to_power_w");
  }
  if (sparse_energy_fraction) {
    out.push_back(from(sparsity_change(*sparse_energy_fraction), fmt::format("sparse_energy_fraction {}", *sparse_energy_fraction)));
  }
  if (out.empty()) throw InputError("give at least one change: to_region, to_intensity_g_per_kwh, to_datacenter, to_pue, "
                                    "to_processor/to_power_w with speedup, sparse_energy_fraction");
  return out;
}

void bind_estimate(py::module_& m) {
  py::class_<Estimate>(m, "Estimate", "A training job's energy and CO2e (Patterson et al. 2021, Section 2.5).")
      .def_property_readonly("hours", [](const Estimate& e) { return e.job.job.training_time.hours(); })
      .def_property_readonly("processors", [](const Estimate& e) { return e.job.job.processors; })
      .def_property_readonly("power_w", [](const Estimate& e) { return e.job.job.avg_power_per_processor.watts(); },
                             "Average power per processor, W")
      .def_property_readonly("pue", [](const Estimate& e) { return e.job.job.pue; })
      .def_property_readonly("intensity_g_per_kwh", [](const Estimate& e) { return e.job.grid.gross.g_per_kwh(); }, "Gross")
      .def_property_readonly("net_intensity_g_per_kwh", [](const Estimate& e) -> std::optional<double> {
        return e.job.grid.net ? std::optional<double>(e.job.grid.net->g_per_kwh()) : std::nullopt;
      })
      .def_property_readonly("cfe", [](const Estimate& e) { return e.job.grid.cfe_fraction; }, "24/7 carbon-free share")
      .def_property_readonly("processor", [](const Estimate& e) { return e.job.processor; })
      .def_property_readonly("datacenter", [](const Estimate& e) { return e.job.datacenter; })
      .def_property_readonly("region", [](const Estimate& e) { return e.job.region; })
      .def_property_readonly("region_basis", [](const Estimate& e) { return e.job.region_basis; })
      .def_property_readonly("energy_j", [](const Estimate& e) { return e.result.energy.joules(); })
      .def_property_readonly("energy_kwh", [](const Estimate& e) { return e.result.energy.kwh(); })
      .def_property_readonly("energy_mwh", [](const Estimate& e) { return e.result.energy.mwh(); })
      .def_property_readonly("co2e_kg", [](const Estimate& e) { return e.result.co2e.kilograms(); },
                             "The headline: net where a net factor is given, else gross")
      .def_property_readonly("co2e_t", [](const Estimate& e) { return e.result.co2e.tonnes(); })
      .def_property_readonly("co2e_gross_kg", [](const Estimate& e) { return e.result.co2e_gross.kilograms(); })
      .def_property_readonly("co2e_net_kg", [](const Estimate& e) { return kg(e.result.co2e_net); })
      .def_property_readonly("co2e_24x7_cfe_kg", [](const Estimate& e) { return kg(e.result.co2e_24x7_cfe); },
                             "energy x gross x (1 - CFE)")
      .def_property_readonly("headline_is_net", [](const Estimate& e) { return e.result.headline_is_net; })
      .def_property_readonly("preset", [](const Estimate& e) -> std::optional<std::string> {
        return e.preset ? std::optional<std::string>(e.preset->key) : std::nullopt;
      })
      .def_property_readonly("published_energy_mwh", [](const Estimate& e) -> std::optional<double> {
        return e.preset ? std::optional<double>(e.preset->published_energy.mwh()) : std::nullopt;
      }, "The paper's figure (a preset only)")
      .def_property_readonly("published_co2e_net_t", [](const Estimate& e) -> std::optional<double> {
        return e.preset ? std::optional<double>(e.preset->published_co2e_net.tonnes()) : std::nullopt;
      }, "The paper's figure (a preset only)")
      .def("to_dict", [](const Estimate& e) {
        return to_python(e.preset ? preset_estimate_json(*e.preset, e.result) : estimate_json(e.job, e.result));
      }, "As `chase estimate --json`")
      .def("__repr__", [](const Estimate& e) {
        return fmt::format("Estimate(energy_kwh={:g}, co2e_kg={:g}{})", e.result.energy.kwh(), e.result.co2e.kilograms(),
                           e.preset ? ", preset='" + e.preset->key + "'" : "");
      });
}

void bind_what_if(py::module_& m) {
  py::class_<WhatIfRow>(m, "WhatIfRow", "One change of a what-if comparison.")
      .def_readonly("factor", &WhatIfRow::factor, "'location', 'datacenter', 'processor', 'sparsity', ...")
      .def_readonly("label", &WhatIfRow::label)
      .def_readonly("source", &WhatIfRow::source)
      .def_property_readonly("energy_kwh", [](const WhatIfRow& r) { return r.result.energy.kwh(); })
      .def_property_readonly("co2e_kg", [](const WhatIfRow& r) { return r.result.co2e.kilograms(); })
      .def_property_readonly("step_factor", [](const WhatIfRow& r) { return defined(r.step_factor); },
                             "CO2e before this change / after it; None where undefined")
      .def_property_readonly("factor_vs_baseline", [](const WhatIfRow& r) { return defined(r.factor_vs_baseline); })
      .def("__repr__", [](const WhatIfRow& r) {
        return fmt::format("WhatIfRow(factor='{}', label='{}', co2e_kg={:g})", r.factor, r.label, r.result.co2e.kilograms());
      });
  py::class_<WhatIfReport>(m, "WhatIf", "What-if comparison: each change alone against the baseline, then all together.")
      .def_property_readonly("baseline_label", [](const WhatIfReport& r) { return r.baseline_scenario.label; })
      .def_property_readonly("baseline_energy_kwh", [](const WhatIfReport& r) { return r.baseline.energy.kwh(); })
      .def_property_readonly("baseline_co2e_kg", [](const WhatIfReport& r) { return r.baseline.co2e.kilograms(); })
      .def_readonly("rows", &WhatIfReport::rows)
      .def_property_readonly("combined_energy_kwh", [](const WhatIfReport& r) { return r.combined.energy.kwh(); })
      .def_property_readonly("combined_co2e_kg", [](const WhatIfReport& r) { return r.combined.co2e.kilograms(); })
      .def_property_readonly("combined_factor", [](const WhatIfReport& r) { return defined(r.combined_factor); },
                             "Baseline CO2e / combined CO2e; None where undefined")
      .def("to_dict", [](const WhatIfReport& r) { return to_python(comparison_json(r)); }, "As `chase compare --json`")
      .def("__repr__", [](const WhatIfReport& r) {
        return fmt::format("WhatIf(rows={}, combined_factor={:g})", r.rows.size(), r.combined_factor);
      });
}

}  // namespace

void bind_accounting(py::module_& m) {
  bind_estimate(m);
  bind_what_if(m);
  m.def("estimate", &estimate, py::kw_only(), py::arg("hours") = py::none(), py::arg("processors") = py::none(),
        py::arg("power_w") = py::none(), py::arg("processor") = py::none(), py::arg("pue") = py::none(),
        py::arg("datacenter") = py::none(), py::arg("intensity_g_per_kwh") = py::none(), py::arg("region") = py::none(),
        py::arg("year") = py::none(), py::arg("cfe") = py::none(),
        "Energy and CO2e of a training job, as `chase estimate`: hours (h), processors, power_w (W per processor, incl. "
        "host share) or processor (preset), pue or datacenter (preset), intensity_g_per_kwh (gCO2e/kWh) or region "
        "(+ year), cfe (24/7 carbon-free share, 0..1). ValueError names a missing or bad input.");
  m.def("estimate_preset", &estimate_preset, py::arg("name"),
        "A run of Patterson et al. 2021 Table 4 ('gpt-3', 't5', ...), with the paper's published figures");
  m.def("presets", [] {
    std::vector<std::string> keys;
    for (const ModelPreset& p : bundled_models().all()) keys.push_back(p.key);
    return keys;
  }, "The Table 4 presets' keys");
  m.def("compare", [](const Estimate& baseline, const std::optional<std::string>& to_region, std::optional<int> year,
                      std::optional<double> to_intensity, const std::optional<std::string>& to_datacenter,
                      std::optional<double> to_pue, const std::optional<std::string>& to_processor,
                      std::optional<double> to_power_w, std::optional<double> speedup,
                      std::optional<double> sparse_energy_fraction, bool chain) {
    const Scenario base = baseline.preset ? model_scenario(*baseline.preset) : job_scenario(baseline.job);
    const auto asked = changes(to_region, year, to_intensity, to_datacenter, to_pue, to_processor, to_power_w, speedup,
                               sparse_energy_fraction);
    return chain ? compare_chain(base, asked) : compare_each(base, asked);
  }, py::arg("baseline"), py::kw_only(), py::arg("to_region") = py::none(), py::arg("year") = py::none(),
        py::arg("to_intensity_g_per_kwh") = py::none(), py::arg("to_datacenter") = py::none(),
        py::arg("to_pue") = py::none(), py::arg("to_processor") = py::none(), py::arg("to_power_w") = py::none(),
        py::arg("speedup") = py::none(), py::arg("sparse_energy_fraction") = py::none(), py::arg("chain") = false,
        "What if the baseline (an Estimate) ran elsewhere, in another datacenter, on another processor (speedup: how "
        "many times faster), or as a sparse model (its share of the energy); chain: each change on top of the last");
}

}  // namespace chase::python

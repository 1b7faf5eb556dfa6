// Grid intensity sources: TraceSource (a recorded trace), RegionSource (a region's yearly
// average), LiveSource (a live provider with its cache and fallback region); their readings and
// history; regions() (the catalog); intensity(source, at).

#include <pybind11/stl.h>

#include <fmt/format.h>

#include "bindings.hpp"
#include "carbon/constant_intensity_feed.hpp"
#include "carbon/intensity_bounds.hpp"
#include "carbon/live/live_source.hpp"
#include "carbon/region_catalog.hpp"
#include "carbon/source_registry.hpp"
#include "carbon/static_source.hpp"
#include "carbon/trace_source.hpp"
#include "core/error.hpp"
#include "export/intensity_export.hpp"
#include "sources.hpp"
#include "store/cached_live_source.hpp"

namespace py = pybind11;

namespace chase::python {
namespace {

// A source the registry builds, typed as the class Python sees.
template <class T>
std::shared_ptr<T> registered(std::string_view kind, const SourceSettings& settings) {
  std::unique_ptr<IntensitySource> made = make_intensity_source(kind, settings);
  return std::shared_ptr<T>(static_cast<T*>(made.release()));
}

SourceSettings settings_with_clock() {
  SourceSettings s;
  s.provider.clock = &process_clock();
  s.provider.environment = process_environment();
  return s;
}

std::shared_ptr<LiveSource> open_live(const std::string& provider, const std::optional<std::string>& zone,
                                      const std::optional<std::string>& base_url, const std::optional<std::string>& cache,
                                      const std::optional<std::string>& key_file,
                                      const std::optional<std::string>& fallback_region, std::optional<int> year,
                                      double timeout_s) {
  if (!(timeout_s > 0) || timeout_s > 3600) throw InputError(fmt::format("timeout_s: {} is not in (0, 3600] s", timeout_s));
  CachedLiveSourceRequest q;
  q.provider = provider;
  q.zone = zone.value_or("");
  q.base_url = base_url.value_or("");
  q.cache = cache.value_or("");
  if (key_file) q.key_file = *key_file;
  q.fallback_region = fallback_region.value_or("");
  q.fallback_year = year;
  q.timeout = Duration::seconds(timeout_s);
  auto owner = std::make_shared<CachedLiveSource>(open_cached_live_source(q, process_clock()));
  // The Python object holds the source, and through it the HTTP client and the cache it uses.
  return std::shared_ptr<LiveSource>(owner, dynamic_cast<LiveSource*>(owner->source.get()));
}

IntensityReading reading_at(IntensitySource& s, const py::handle& at) {
  const UtcTime t = at.is_none() ? s.now() : to_utc(at, "at");
  py::gil_scoped_release release;
  return s.reading_at(t);
}

void bind_reading(py::module_& m) {
  py::class_<IntensityReading>(m, "IntensityReading", "The grid's intensity over one step of a source's grid.")
      .def_property_readonly("intensity_g_per_kwh", [](const IntensityReading& r) { return r.step.intensity.g_per_kwh(); },
                             "gCO2e/kWh")
      .def_property_readonly("valid_from", [](const IntensityReading& r) { return to_datetime(r.step.from); }, "UTC")
      .def_property_readonly("valid_until", [](const IntensityReading& r) { return to_datetime(r.step.until); },
                             "UTC, exclusive")
      .def_property_readonly("source", [](const IntensityReading& r) { return r.step.source; },
                             "What gave the value: 'trace:gb-2020', 'static:DE', 'cache', ...")
      .def_property_readonly("fallback", [](const IntensityReading& r) { return r.step.fallback; },
                             "True when not the primary source's own answer (a cache, a region's average, a held value)")
      .def_property_readonly("stale_s", [](const IntensityReading& r) -> std::optional<double> {
        return r.stale ? std::optional<double>(r.stale->seconds()) : std::nullopt;
      }, "Age of the data, s (0 while current, None for a static average)")
      .def("to_dict", [](const IntensityReading& r) { return to_python(reading_json(r)); })
      .def("__repr__", [](const IntensityReading& r) {
        return fmt::format("IntensityReading(intensity_g_per_kwh={:g}, valid_from='{}', valid_until='{}', source='{}', "
                           "fallback={})", r.step.intensity.g_per_kwh(), r.step.from.iso8601(), r.step.until.iso8601(),
                           r.step.source, r.step.fallback ? "True" : "False");
      });
}

void bind_sources(py::module_& m) {
  py::class_<IntensitySource, std::shared_ptr<IntensitySource>>(m, "IntensitySource",
                                                                "Where grid carbon intensity comes from (base class).")
      .def_property_readonly("name", &IntensitySource::name, "'trace:gb-2020', 'static:DE', 'electricitymaps:DE'")
      .def_property_readonly("now", [](const IntensitySource& s) { return to_datetime(s.now()); },
                             "The source's now: a trace's end, the clock's time for the others (UTC)")
      .def("at", &reading_at, py::arg("time") = py::none(),
           "The reading in effect at `time` (datetime, naive = UTC, or ISO 8601 string; None: the source's now)")
      .def("history", [](IntensitySource& s, const py::handle& start, const py::handle& end) {
        const UtcTime from = to_utc(start, "start");
        const UtcTime to = to_utc(end, "end");
        if (!(from < to)) throw InputError("history: start must be before end");
        py::gil_scoped_release release;
        return s.history(from, to);
      }, py::arg("start"), py::arg("end"), "The readings covering [start, end) on the source's own grid")
      .def("__repr__", [](const IntensitySource& s) { return fmt::format("<IntensitySource {}>", s.name()); });

  py::class_<TraceSource, IntensitySource, std::shared_ptr<TraceSource>>(m, "TraceSource",
                                                                         "Replays a recorded intensity trace.")
      .def(py::init([](const std::string& path) {
             SourceSettings s = settings_with_clock();
             s.trace = path;
             return registered<TraceSource>("trace", s);
           }),
           py::arg("path"), "A CSV file (timestamp,intensity_g_per_kwh) or a bundled trace name ('gb-2020')")
      .def_property_readonly("start", [](const TraceSource& s) { return to_datetime(s.trace().start()); })
      .def_property_readonly("end", [](const TraceSource& s) { return to_datetime(s.trace().end()); });

  py::class_<StaticSource, IntensitySource, std::shared_ptr<StaticSource>>(m, "RegionSource",
                                                                           "A region's yearly average at every time.")
      .def(py::init([](const std::string& region, std::optional<int> year) {
             SourceSettings s = settings_with_clock();
             s.region = region;
             s.year = year;
             return registered<StaticSource>("static", s);
           }),
           py::arg("region"), py::arg("year") = py::none(),
           "A grid zone, country (ISO code or name) or preset; year: one of its years (default: its latest complete one)")
      .def_property_readonly("region", [](const StaticSource& s) { return s.region().key; })
      .def_property_readonly("year", [](const StaticSource& s) -> std::optional<int> {
        return s.region().year != 0 ? std::optional<int>(s.region().year) : std::nullopt;
      })
      .def_property_readonly("intensity_g_per_kwh", [](const StaticSource& s) { return s.region().gross.g_per_kwh(); });

  py::class_<LiveSource, IntensitySource, std::shared_ptr<LiveSource>>(
      m, "LiveSource", "A live provider's intensity, with its SQLite cache and a fallback region.")
      .def(py::init(&open_live), py::arg("provider"), py::arg("zone") = py::none(), py::arg("base_url") = py::none(),
           py::arg("cache") = py::none(), py::arg("key_file") = py::none(), py::arg("fallback_region") = py::none(),
           py::arg("year") = py::none(), py::arg("timeout_s") = 10.0,
           "provider: a registered provider ('electricitymaps', 'uk-carbon-intensity', 'watttime'); zone: its zone "
           "(default: its own); key_file: API key file, mode 0600 (else its environment variable); cache: SQLite file "
           "(default: $XDG_CACHE_HOME/chase/intensity.sqlite); fallback_region/year: the static stand-in; timeout_s: "
           "of one HTTP request")
      .def_property_readonly("last_failure", &LiveSource::last_failure, "Why the last fetch failed, if it did");
}

py::dict region_dict(const RegionPlace& p) {
  const RegionPreset& r = p.preferred();
  py::dict d;
  d["key"] = p.key;
  d["name"] = p.name;
  d["zone"] = p.zone;
  d["year"] = r.year != 0 ? py::cast(r.year) : py::none();
  d["years"] = p.years();
  d["intensity_g_per_kwh"] = r.gross.g_per_kwh();
  d["cfe"] = r.cfe_fraction ? py::cast(*r.cfe_fraction) : py::none();
  d["source"] = r.source;
  return d;
}

}  // namespace

PricingFeed pricing_feed(const py::handle& source) {
  if (py::isinstance<IntensitySource>(source)) {
    auto s = source.cast<std::shared_ptr<IntensitySource>>();
    return {s, s->name()};
  }
  // A bool is an int to Python; source=True is a slip, not 1 gCO2e/kWh.
  if (!py::isinstance<py::bool_>(source) && (py::isinstance<py::float_>(source) || py::isinstance<py::int_>(source))) {
    const double g = source.cast<double>();
    if (!plausible_intensity(g)) {
      throw InputError(fmt::format("source: {} gCO2e/kWh is not an intensity in [0, {:g}]", g, kMaxPlausibleIntensityGPerKwh));
    }
    return {std::make_shared<ConstantIntensityFeed>(CarbonIntensity::g_per_kwh(g), "constant"), "constant"};
  }
  throw py::type_error("source: expected an IntensitySource or a constant intensity in gCO2e/kWh");
}

void bind_intensity(py::module_& m) {
  bind_reading(m);
  bind_sources(m);
  m.def("intensity", [](IntensitySource& s, const py::handle& at) { return reading_at(s, at); }, py::arg("source"),
        py::arg("at") = py::none(), "The source's reading at `at` (None: the source's now); same as source.at(at)");
  m.def("regions", [] {
    py::list out;
    for (const RegionPlace& p : region_catalog().places()) out.append(region_dict(p));
    return out;
  }, "Every region the catalog knows: dicts of key, name, zone, year, years, intensity_g_per_kwh, cfe, source");
  m.def("region", [](const std::string& name, std::optional<int> year) {
    const RegionPreset r = resolve_region(name, year);
    py::dict d;
    d["key"] = r.key;
    d["name"] = r.name;
    d["year"] = r.year != 0 ? py::cast(r.year) : py::none();
    d["intensity_g_per_kwh"] = r.gross.g_per_kwh();
    d["cfe"] = r.cfe_fraction ? py::cast(*r.cfe_fraction) : py::none();
    d["source"] = r.source;
    d["basis"] = describe_region(r);
    return d;
  }, py::arg("name"), py::arg("year") = py::none(), "One region's figure (any of its names; year: default its latest)");
}

}  // namespace chase::python

// Forecasting: forecasters() (the registry), forecast() (the next frames from a source's
// recorded past, as `chase forecast`), backtest() (walk-forward accuracy, as `chase forecast
// backtest`).

#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "bindings.hpp"
#include "carbon/forecast/backtest.hpp"
#include "carbon/forecast/backtest_report.hpp"
#include "carbon/forecast/frame_forecast.hpp"
#include "carbon/intensity_range.hpp"
#include "carbon/live/live_source.hpp"
#include "carbon/trace_source.hpp"
#include "control/job_spec.hpp"
#include "core/error.hpp"
#include "export/forecast_export.hpp"

namespace py = pybind11;

namespace chase::python {
namespace {

// A week of 1-minute frames, as `chase forecast --horizon` allows.
constexpr std::size_t kLongestHorizonFrames = 7 * 24 * 60;

struct Forecast {
  std::string model;
  IntensityHistory history;
  FrameForecast forecast;
  std::optional<std::string> failure;  // why a live source fell back
};

std::optional<Duration> frame_length(std::optional<double> minutes) {
  if (!minutes) return std::nullopt;
  if (!std::isfinite(*minutes) || *minutes <= 0 || *minutes > kLongestJobHours * 60) {
    throw InputError(fmt::format("frame_minutes: {} is not a number of minutes in (0, {:g}]", *minutes, kLongestJobHours * 60));
  }
  return Duration::minutes(*minutes);
}

void check_horizon(std::size_t frames) {
  if (frames < 1 || frames > kLongestHorizonFrames) {
    throw InputError(fmt::format("horizon: {} is not a number of frames in [1, {}]", frames, kLongestHorizonFrames));
  }
}

// A source given as an IntensitySource, or a trace file or bundled trace name.
std::shared_ptr<IntensitySource> source_of(const py::handle& source) {
  if (py::isinstance<py::str>(source)) return std::make_shared<TraceSource>(IntensityTrace::load(source.cast<std::string>()));
  return source.cast<std::shared_ptr<IntensitySource>>();
}

Forecast run_forecast(const py::handle& source_arg, const std::string& model, std::size_t horizon,
                      std::optional<double> frame_minutes, double history_hours) {
  check_horizon(horizon);
  if (!std::isfinite(history_hours) || history_hours <= 0 || history_hours > kLongestJobHours) {
    throw InputError(fmt::format("history_hours: {} is not in (0, {:g}] h", history_hours, kLongestJobHours));
  }
  const std::optional<Duration> frame = frame_length(frame_minutes);
  const std::shared_ptr<IntensitySource> source = source_of(source_arg);
  py::gil_scoped_release release;
  // The source's recorded past cut into frames, as `chase forecast` reads it.
  const RecordedIntensity recorded = recorded_intensity(*source, Duration::hours(history_hours));
  const auto* live = dynamic_cast<const LiveSource*>(source.get());
  std::optional<std::string> failure = live != nullptr ? live->last_failure() : std::nullopt;
  FrameSeries series = frame_series(recorded.trace, frame);
  IntensityHistory history{source->name(), series.frame, std::move(series.frames), failure.has_value(), recorded.stale};
  const auto forecaster = make_forecaster(model, history.frame, horizon);
  FrameForecast forecast = forecast_frames(*forecaster, history, horizon);
  return {model, std::move(history), std::move(forecast), std::move(failure)};
}

py::object run_backtest(const std::string& trace_name, const std::optional<std::vector<std::string>>& models,
                        const std::vector<std::size_t>& horizons, std::optional<double> frame_minutes) {
  if (horizons.empty()) throw InputError("horizons: give at least one lead, in frames");
  for (std::size_t h : horizons) check_horizon(h);
  const std::optional<Duration> frame = frame_length(frame_minutes);
  const std::vector<std::string> wanted = models.value_or(std::vector<std::string>{default_forecaster_name()});
  if (wanted.empty()) throw InputError("models: give at least one forecaster (chase.forecasters())");
  const std::size_t longest = *std::max_element(horizons.begin(), horizons.end());
  nlohmann::json out;
  {
    py::gil_scoped_release release;
    const IntensityTrace trace = IntensityTrace::load(trace_name);
    const FrameSeries series = frame_series(trace, frame);
    const BacktestReport report = backtest_report(trace.source(), series, wanted, horizons,
                                                  [longest](const std::string& name, Duration length) {
                                                    return make_forecaster(name, length, longest);
                                                  });
    out = backtest_json(report);
  }
  return to_python(out);
}

}  // namespace

void bind_forecast(py::module_& m) {
  py::class_<ForecastFrame>(m, "ForecastFrame", "One forecast frame.")
      .def_property_readonly("valid_from", [](const ForecastFrame& f) { return to_datetime(f.from); }, "UTC")
      .def_property_readonly("valid_until", [](const ForecastFrame& f) { return to_datetime(f.until); }, "UTC, exclusive")
      .def_property_readonly("intensity_g_per_kwh", [](const ForecastFrame& f) { return f.intensity.g_per_kwh(); })
      .def("__repr__", [](const ForecastFrame& f) {
        return fmt::format("ForecastFrame(valid_from='{}', intensity_g_per_kwh={:g})", f.from.iso8601(), f.intensity.g_per_kwh());
      });
  py::class_<Forecast>(m, "Forecast", "The next frames of grid intensity, forecast from a source's recorded past.")
      .def_readonly("model", &Forecast::model)
      .def_property_readonly("source", [](const Forecast& f) { return f.history.source; })
      .def_property_readonly("frame_s", [](const Forecast& f) { return f.history.frame.seconds(); }, "Frame length, s")
      .def_property_readonly("observed_frames", [](const Forecast& f) { return f.history.frames.size(); })
      .def_property_readonly("last_observed", [](const Forecast& f) { return to_datetime(f.forecast.last_observed); },
                             "Start of the last frame of the history, UTC")
      .def_property_readonly("last_intensity_g_per_kwh", [](const Forecast& f) { return f.forecast.last_intensity.g_per_kwh(); })
      .def_property_readonly("frames", [](const Forecast& f) { return f.forecast.frames; })
      .def_property_readonly("fallback", [](const Forecast& f) { return f.history.fallback; })
      .def_readonly("fallback_reason", &Forecast::failure)
      .def("to_dict", [](const Forecast& f) { return to_python(forecast_json(f.model, f.history, f.forecast, f.failure)); },
           "As `chase forecast --json`")
      .def("__repr__", [](const Forecast& f) {
        return fmt::format("Forecast(source='{}', model='{}', frames={})", f.history.source, f.model, f.forecast.frames.size());
      });
  m.def("forecasters", [] {
    py::dict out;
    for (const std::string& name : forecaster_names()) out[py::str(name)] = forecaster_description(name);
    return out;
  }, "The registered forecasters: name → one-line description");
  m.def("default_forecaster", &default_forecaster_name);
  m.def("forecast", &run_forecast, py::arg("source"), py::arg("model") = default_forecaster_name(), py::arg("horizon") = 1,
        py::arg("frame_minutes") = py::none(), py::arg("history_hours") = 192.0,
        "Forecasts the next `horizon` frames after the source's recorded past (history_hours of it). source: an "
        "IntensitySource, or a trace file or bundled trace name; frame_minutes: frame length (default: the source's "
        "own resolution)");
  m.def("backtest", &run_backtest, py::arg("trace"), py::arg("models") = py::none(),
        py::arg("horizons") = std::vector<std::size_t>{1}, py::arg("frame_minutes") = py::none(),
        "Walk-forward accuracy of forecasters on a trace: the dict `chase forecast backtest --json` prints "
        "(models: default ['default']; horizons: leads in frames)");
}

}  // namespace chase::python

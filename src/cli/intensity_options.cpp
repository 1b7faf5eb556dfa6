#include "cli/intensity_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "carbon/forecast/backtest.hpp"
#include "carbon/http/http_url.hpp"
#include "carbon/intensity_range.hpp"
#include "carbon/live/live_source.hpp"
#include "carbon/live/provider_settings.hpp"
#include "carbon/source_registry.hpp"
#include "cli/flag_checks.hpp"
#include "control/job_spec.hpp"
#include "core/error.hpp"
#include "store/cached_live_source.hpp"

namespace chase::cli {

IntensityInputOptions::IntensityInputOptions() = default;
IntensityInputOptions::~IntensityInputOptions() = default;

void IntensityInputOptions::add_to(CLI::App& cmd, bool allow_region) {
  choice_.push_back(cmd.add_option("--trace", trace_, "CSV file (timestamp,intensity_g_per_kwh) or a bundled trace name"));
  if (allow_region) {
    choice_.push_back(cmd.add_option("--region", region_,
                                     "A grid zone, country (ISO code or name) or region preset: its yearly average "
                                     "(chase presets regions)"));
  }
  choice_.push_back(
      cmd.add_option("--provider", provider_, fmt::format("A live provider: {}", fmt::join(provider_names(), ", "))));
  for (std::size_t i = 0; i < choice_.size(); ++i) {
    for (std::size_t k = i + 1; k < choice_.size(); ++k) choice_[i]->excludes(choice_[k]);
  }
  const std::string live = "Live providers";
  std::vector<std::string> zones, keys;
  for (const ProviderEntry& e : provider_registry().entries()) {
    if (!e.zone_examples.empty()) zones.push_back(fmt::format("{}: {}...", e.name, e.zone_examples));
    if (!e.key_variables.empty()) keys.push_back(e.key_variables);
  }
  cmd.add_option("--zone", zone_, fmt::format("Provider zone/region ({})", fmt::join(zones, "; ")))->group(live);
  cmd.add_option("--key-file", key_file_, fmt::format("API key file, mode 0600 (else {})", fmt::join(keys, ", or ")))
      ->group(live);
  cmd.add_option("--base-url", base_url_, "Provider endpoint (default: its public API)")
      ->check(CLI::Validator(
          [](std::string& url) -> std::string {
            // An endpoint the client cannot fetch (a typo, "", file://, http://[::1, a port past
            // 65535) would only fail later, after retries, and then fall back as if the provider
            // were down: libcurl's own parser decides now.
            const std::string problem = http_url_problem(url);
            return problem.empty() ? std::string() : "'" + url + "' " + problem;
          },
          "URL", "http(s) URL"))
      ->group(live);
  cmd.add_option("--cache", cache_path_, "SQLite cache of provider answers (default: " + default_intensity_cache_path().string() + ")")
      ->group(live);
  cmd.add_option("--fallback-region", fallback_region_,
                 "Static region used when the provider fails and nothing is cached (default: from the zone)")
      ->group(live);
  year_opt_ = cmd.add_option("--year", year_, "The year of --region or --fallback-region (default: its latest complete year)")
                  ->check(CLI::Range(1900, 2200));
  cmd.add_option("--timeout-s", timeout_s_, "Timeout of one HTTP request")->capture_default_str()->check(positive())->group(live);
  cmd.add_option("--history-hours", history_hours_, "Hours of intensity history a forecast (and chase run's controller) starts from")
      ->capture_default_str()
      ->check(positive())
      ->check(at_most(kLongestJobHours, "ten years"))
      ->group(live);
}

void IntensityInputOptions::require_one() const {
  std::size_t given = 0;
  std::vector<std::string> names;
  for (const CLI::Option* o : choice_) {
    given += o->count() > 0 ? 1 : 0;
    names.push_back(o->get_name());
  }
  if (given != 1) throw InputError(fmt::format("give one of {}", fmt::join(names, ", ")));
}

bool IntensityInputOptions::given() const {
  return std::any_of(choice_.begin(), choice_.end(), [](const CLI::Option* o) { return o->count() > 0; });
}

IntensitySource& IntensityInputOptions::source() {
  if (opened_.source) return *opened_.source;
  require_one();
  SourceSettings settings;
  settings.provider.clock = &clock_;
  settings.provider.environment = process_environment();
  if (year_opt_->count() > 0) settings.year = year_;
  if (!trace_.empty()) {
    settings.trace = trace_;
    if (settings.year) throw InputError("--year needs --region or a live --provider's fallback region");
    opened_.source = with_flag("--trace", [&] { return make_intensity_source("trace", settings); });
  } else if (!region_.empty()) {
    settings.region = region_;
    opened_.source = with_flag("--region", [&] { return make_intensity_source("static", settings); });
  } else {
    CachedLiveSourceRequest live;
    live.provider = provider_;
    live.zone = zone_;
    live.base_url = base_url_;
    live.cache = cache_path_;
    live.fallback_region = fallback_region_;
    live.timeout = Duration::seconds(timeout_s_);
    if (!key_file_.empty()) live.key_file = key_file_;
    live.fallback_year = settings.year;
    opened_ = with_flag("--provider", [&] { return open_cached_live_source(live, clock_); });
  }
  return *opened_.source;
}

std::optional<std::string> IntensityInputOptions::last_failure() const {
  if (const auto* live = dynamic_cast<const LiveSource*>(opened_.source.get())) return live->last_failure();
  return std::nullopt;
}

void IntensityInputOptions::warn_if_failed() const {
  if (const auto failure = last_failure()) std::cerr << "chase: warning: live intensity fell back: " << *failure << "\n";
}

IntensityHistory IntensityInputOptions::history(std::optional<Duration> frame) {
  IntensitySource& src = source();
  const RecordedIntensity recorded = recorded_intensity(src, Duration::hours(history_hours_));
  const bool fallback = last_failure().has_value();
  FrameSeries series = with_flag("--frame-minutes", [&] { return frame_series(recorded.trace, frame); });
  return IntensityHistory{src.name(), series.frame, std::move(series.frames), fallback, recorded.stale};
}

}  // namespace chase::cli

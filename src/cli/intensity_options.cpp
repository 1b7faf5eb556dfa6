#include "cli/intensity_options.hpp"

#include <fmt/format.h>

#include "carbon/forecast/backtest.hpp"
#include "carbon/region_table.hpp"
#include "carbon/static_source.hpp"
#include "carbon/trace_source.hpp"
#include "cli/flag_checks.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace chase::cli {

void IntensityInputOptions::add_to(CLI::App& cmd, bool allow_region) {
  choice.push_back(cmd.add_option("--trace", trace, "CSV file (timestamp,intensity_g_per_kwh) or a bundled trace name"));
  if (allow_region) choice.push_back(cmd.add_option("--region", region, "A region of the static table (chase presets)"));
  for (std::size_t i = 0; i < choice.size(); ++i) {
    for (std::size_t k = i + 1; k < choice.size(); ++k) choice[i]->excludes(choice[k]);
  }
}

void IntensityInputOptions::require_one() const {
  std::size_t given = 0;
  std::vector<std::string> names;
  for (const CLI::Option* o : choice) {
    given += o->count() > 0 ? 1 : 0;
    names.push_back(o->get_name());
  }
  if (given != 1) throw InputError(fmt::format("give one of {}", fmt::join(names, ", ")));
}

std::unique_ptr<IntensitySource> IntensityInputOptions::source() const {
  require_one();
  if (!trace.empty()) return std::make_unique<TraceSource>(with_flag("--trace", [&] { return IntensityTrace::load(trace); }));
  static SystemClock clock;
  return std::make_unique<StaticSource>(
      with_flag("--region", [&]() -> const RegionPreset& { return bundled_regions().get(region); }), clock);
}

IntensityHistory IntensityInputOptions::history(std::optional<Duration> frame) const {
  require_one();
  const IntensityTrace recorded = with_flag("--trace", [&] { return IntensityTrace::load(trace); });
  FrameSeries series = with_flag("--frame-minutes", [&] { return frame_series(recorded, frame); });
  return IntensityHistory{"trace:" + recorded.source(), series.frame, std::move(series.frames)};
}

}  // namespace chase::cli

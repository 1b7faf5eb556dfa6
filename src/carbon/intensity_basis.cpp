#include "carbon/intensity_basis.hpp"

#include <fmt/format.h>

#include "carbon/region_catalog.hpp"
#include "carbon/static_source.hpp"
#include "carbon/trace_source.hpp"

namespace chase {

std::string intensity_basis(const IntensitySource& source) {
  if (const auto* fixed = dynamic_cast<const StaticSource*>(&source)) return describe_region(fixed->region());
  if (const auto* replay = dynamic_cast<const TraceSource*>(&source)) {
    const IntensityTrace& trace = replay->trace();
    return fmt::format("trace {}, {} to {}", trace.source(), trace.start().iso8601().substr(0, 10),
                       trace.end().iso8601().substr(0, 10));
  }
  return fmt::format("live data of {} for the run's own time (fallbacks are recorded per step)", source.name());
}

}  // namespace chase

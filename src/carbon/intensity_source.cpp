#include "carbon/intensity_source.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace chase {

std::vector<IntensityReading> IntensitySource::history(UtcTime from, UtcTime to) {
  if (!(from < to)) throw InputError(fmt::format("{}: empty interval {} to {}", name(), from.iso8601(), to.iso8601()));
  std::vector<IntensityReading> out;
  UtcTime t = from;
  while (t < to) {
    IntensityReading r = reading_at(t);
    if (!(r.step.until > t)) {
      throw Error(fmt::format("{}: step at {} does not advance (until {})", name(), t.iso8601(), r.step.until.iso8601()));
    }
    t = r.step.until;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace chase

#include "carbon/observed_feed.hpp"

namespace chase {

IntensityStep ObservedFeed::step_at(UtcTime t) {
  std::optional<Duration> age;
  IntensityStep step;
  if (auto* source = dynamic_cast<IntensitySource*>(&inner_)) {
    IntensityReading reading = source->reading_at(t);
    age = reading.stale;
    step = std::move(reading.step);
  } else {
    step = inner_.step_at(t);
  }
  if (observer_) observer_(step, age);
  return step;
}

}  // namespace chase

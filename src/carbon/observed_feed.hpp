#pragma once
// An intensity feed that tells an observer each step it gives (with the data's age when the
// inner feed is an IntensitySource that knows it), then passes the step on unchanged: how the
// run store and the metrics endpoint see what the meter priced with.

#include <functional>
#include <optional>

#include "carbon/intensity_source.hpp"

namespace chase {

class ObservedFeed final : public IntensityFeed {
 public:
  using Observer = std::function<void(const IntensityStep& step, std::optional<Duration> age)>;
  // `inner` must outlive this feed.
  ObservedFeed(IntensityFeed& inner, Observer observer) : inner_(inner), observer_(std::move(observer)) {}
  IntensityStep step_at(UtcTime t) override;

 private:
  IntensityFeed& inner_;
  Observer observer_;
};

}  // namespace chase

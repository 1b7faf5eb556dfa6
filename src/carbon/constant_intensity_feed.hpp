#pragma once
// One grid intensity for all time (a user's figure, or a region's static average) as an
// IntensityFeed, so that a Monitor prices energy at it through the same path a live or traced
// source uses.

#include <string>

#include "core/intensity_feed.hpp"

namespace chase {

class ConstantIntensityFeed final : public IntensityFeed {
 public:
  ConstantIntensityFeed(CarbonIntensity intensity, std::string source)
      : intensity_(intensity), source_(std::move(source)) {}
  IntensityStep step_at(UtcTime) override {
    // One step spanning every representable instant of interest: no boundary to wake for.
    return {intensity_, UtcTime::from_epoch_ms(0), UtcTime::from_epoch_ms(253402300799000), source_, false};
  }

 private:
  CarbonIntensity intensity_;
  std::string source_;
};

}  // namespace chase

#pragma once
// A region's long-run average from the region table: the same value at every time, as one
// step of a day (so a Monitor still meets a boundary daily). Used on its own (`--region`) and as
// the last fallback of every live provider.

#include "carbon/intensity_source.hpp"
#include "carbon/region_table.hpp"
#include "core/clock.hpp"

namespace chase {

class StaticSource final : public IntensitySource {
 public:
  // `fallback` marks the readings as a fallback (when standing in for a live provider).
  StaticSource(RegionPreset region, const Clock& clock, bool fallback = false);

  std::string name() const override { return "static:" + region_.key; }
  IntensityReading reading_at(UtcTime t) override;
  UtcTime now() const override { return clock_.now(); }
  const RegionPreset& region() const { return region_; }

 private:
  RegionPreset region_;
  const Clock& clock_;
  bool fallback_;
};

}  // namespace chase

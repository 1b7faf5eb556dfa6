#pragma once
// The native run under chase.track and chase.torch, shared by runs.cpp (which binds it) and
// training.cpp (a controlled run records its decisions and profile into it).

#include <pybind11/pybind11.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runs/tracked_run.hpp"
#include "sources.hpp"
#include "store/run_store.hpp"

namespace chase::python {

class PyTrackedRun {
 public:
  // `source`: None, a bound IntensitySource or a number (gCO2e/kWh). `db`: the store's path
  // (None: $CHASE_DB, else $XDG_DATA_HOME/chase/runs.db); `record` False: not recorded.
  // Throws InputError for a store that cannot be opened or bad settings.
  PyTrackedRun(std::vector<std::shared_ptr<PowerDevice>> devices, std::vector<DeviceEntry> entries,
               const pybind11::handle& source, const std::optional<std::string>& db, bool record,
               TrackSettings settings);
  TrackedRun& run() { return *run_; }
  const TrackedRun& run() const { return *run_; }
  // The feed the run prices with (null without a source): a controller reads the same one.
  IntensityFeed* feed() const { return pricing_ ? pricing_->feed.get() : nullptr; }
  std::optional<std::string> priced_by() const;
  // `status`: "completed", "failed" or "interrupted".
  TrackedResult finish(const std::string& status, const std::optional<std::string>& note,
                       const std::vector<RankDeviceTotals>& others);

 private:
  std::optional<PricingFeed> pricing_;
  std::unique_ptr<RunStore> store_;
  std::unique_ptr<TrackedRun> run_;  // after store_: destroyed first
};

}  // namespace chase::python

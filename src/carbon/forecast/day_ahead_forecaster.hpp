#pragma once
// Yesterday's profile, moved by a learned change of level: frame t+h is forecast as the same
// time of day on the last day seen, plus the change from one day to the next that a robust ridge
// regression expects from where the level stands now (against the last day, the last week and
// the same time of day on the last seven days, mean and median) and the latest momentum. Exactly
// a day ahead that is a direct day-ahead regression: nothing is fed back, so nothing compounds,
// and a strong ridge shrinks it to seasonal-24h where the level is a random walk. The regression
// learns from each forecast once its truth has arrived (walk-forward) and picks its ridge
// strength and its Huber threshold from its own recent errors.

#include <cstddef>
#include <vector>

#include <Eigen/Dense>

#include "carbon/forecast/forecaster.hpp"
#include "carbon/forecast/online_ridge.hpp"

namespace chase {

class DayAheadForecaster final : public Forecaster {
 public:
  explicit DayAheadForecaster(Duration frame);

  std::string name() const override { return "day-ahead"; }
  void observe(const IntensitySample& sample) override;
  std::vector<CarbonIntensity> predict(std::size_t frames) const override;
  std::unique_ptr<Forecaster> fresh() const override { return std::make_unique<DayAheadForecaster>(frame_); }

  std::size_t frames_per_day() const { return day_; }
  // The change of log-intensity from now to a day ahead that the forecast applies now.
  double level_change() const;

 private:
  void features(Eigen::VectorXd& x) const;

  Duration frame_;
  std::size_t day_;  // frames per day, at least 1
  std::size_t history_needed_;
  OnlineRidge model_;
  std::vector<double> recent_ape_;  // per ridge strength, exponentially weighted
  std::vector<std::size_t> scored_;
  double mean_abs_change_ = 0.0;    // of the day-to-day change, for the intercept's scale
  double mean_abs_residual_ = 0.0;  // of the chosen strength, for the Huber threshold
  std::size_t changes_seen_ = 0;
  std::size_t residuals_seen_ = 0;
  // Features and forecast changes of the last day of issues, waiting for their truth.
  std::vector<Eigen::VectorXd> pending_x_;
  std::vector<std::vector<double>> pending_change_;
  std::vector<bool> pending_valid_;
  std::vector<double> z_;  // log-intensity, oldest first (trimmed)
  std::size_t observed_ = 0;
  std::size_t since_solve_ = 0;
  std::size_t best_strength() const;
};

ForecasterEntry day_ahead_forecaster_entry();

}  // namespace chase

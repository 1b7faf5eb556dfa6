#pragma once
// The learned model: robust online ridge regression of the next change of log-intensity on
// recent changes, time of day and yesterday's / last week's analogs (see lag_features.hpp). The
// loss is Huber's: squared for residuals within 1.345 standard deviations of the model's own
// recent residuals, absolute beyond (the textbook constant, 95 % efficient when errors are
// normal), so the many ordinary frames are fitted like least squares and the spikes of real feeds
// do not drag the fit.
// Several feature sets (4), each at several ridge strengths (3), learn side by side; the variant with
// the lowest recent out-of-sample error (exponentially weighted APE of its own one-frame-ahead
// forecasts, each scored before the model learns from that frame: walk-forward, no look-ahead)
// makes the forecast. So features and regularisation adapt to the grid the model runs on
// instead of being tuned by hand to the bundled traces. Multi-frame forecasts feed the model
// its own predictions.

#include <deque>
#include <optional>
#include <utility>

#include "carbon/forecast/forecaster.hpp"
#include "carbon/forecast/lag_features.hpp"
#include "carbon/forecast/online_ridge.hpp"

namespace chase {

class LearnedForecaster final : public Forecaster {
 public:
  explicit LearnedForecaster(Duration frame);

  std::string name() const override { return "ridge"; }
  void observe(const IntensitySample& sample) override;
  std::vector<CarbonIntensity> predict(std::size_t frames) const override;
  std::unique_ptr<Forecaster> fresh() const override { return std::make_unique<LearnedForecaster>(frame_); }

  // The variant that forecasts now, e.g. "lags=8 slot-momentum ridge=0.0001", or "warming up".
  std::string active_configuration() const;
  std::size_t variant_count() const;

 private:
  struct Variant {
    double recent_ape = 0.0;  // exponentially weighted
    std::size_t scored = 0;
    std::optional<double> next_change;  // its forecast of the next change, for scoring
  };
  struct Candidate {
    LagFeatureConfig config;
    LagFeatures features;
    OnlineRidge model;
    std::vector<Variant> variants;  // one per ridge strength of `model`
    // Exponentially weighted mean |residual| of the best variant's one-frame forecasts (log
    // units): the scale of its errors, which sets where its Huber loss turns from squared to
    // absolute.
    double mean_abs_residual = 0.0;
    std::size_t residuals_seen = 0;
    std::size_t best_variant() const;
    double huber_threshold(double fallback) const;
  };
  struct Choice {
    const Candidate* candidate;
    std::size_t variant;
  };

  // The best variant by recent error; for_recursion: among those without shape inputs.
  std::optional<Choice> active(bool for_recursion) const;
  void features_for_next(const Candidate& c, const std::vector<double>& z, UtcTime target, Eigen::VectorXd& x) const;

  Duration frame_;
  std::size_t frames_per_day_;
  std::size_t solve_every_;
  std::size_t keep_;  // history kept (log values)
  std::vector<Candidate> candidates_;
  std::vector<double> z_;  // log-intensity, oldest first
  // The lowest and highest of the last keep_ values of z_ (a forecast's bounds), kept as they
  // come (monotonic queues of (index, value)): a week of 1-second frames is 600,000 values,
  // too many to scan at every update.
  std::size_t pushed_ = 0;
  std::deque<std::pair<std::size_t, double>> lows_, highs_;
  UtcTime last_time_;
  double mean_abs_change_ = 0.0;
  std::size_t changes_seen_ = 0;
  std::size_t since_solve_ = 0;
  Eigen::VectorXd scratch_x_;  // reused by observe() to avoid an allocation per update
};

ForecasterEntry ridge_forecaster_entry();

}  // namespace chase

#pragma once
// `default`: runs several forecasters side by side, scores each one's forecasts when the truth
// arrives (walk-forward, per lead time), and answers every lead from the models that have been
// most accurate at that lead recently. Persistence is hard to beat one frame ahead on a smooth
// feed, yesterday's profile is hard to beat a day ahead on a solar grid: no single model wins
// everywhere, and which one wins depends on the grid, so it is measured, not assumed.
//
// Two ways of answering are scored the same way per lead: the single best model, or all models
// averaged with weights 1/error^2 (models that err differently cancel part of each other's
// error, which often wins at long leads). The blend is the safer answer (it cannot be as wrong
// as a model picked on a lucky fortnight), so the single model answers only while it has been
// better by more than about one standard error of the recent difference. That matters at long
// leads: errors a day ahead come in day-long runs, a fortnight holds only ~14 independent ones,
// and picking the lower recent error there mostly picks noise.

#include "carbon/forecast/forecaster.hpp"

namespace chase {

class BestOfForecaster final : public Forecaster {
 public:
  // Leads 1, 2, 4, ... up to `longest_tracked_lead` frames are scored; a longer lead is answered
  // as the longest tracked one. Errors fade with a memory of `error_memory_frames`.
  BestOfForecaster(std::string name, std::vector<std::unique_ptr<Forecaster>> models, std::size_t longest_tracked_lead,
                   double error_memory_frames);

  std::string name() const override { return name_; }
  void observe(const IntensitySample& sample) override;
  std::vector<CarbonIntensity> predict(std::size_t frames) const override;
  std::unique_ptr<Forecaster> fresh() const override;

  // How lead `frames_ahead` is answered now: a model's name, or "blend".
  std::string chosen_for(std::size_t frames_ahead) const;

 private:
  enum class Answer { kBestModel, kBlend };
  std::size_t bucket_of(std::size_t lead) const;
  std::size_t best_model_for(std::size_t bucket) const;
  Answer answer_for(std::size_t bucket) const;
  // The blended forecast at a lead from the models' forecasts at that lead.
  double blend(std::size_t bucket, const std::vector<double>& model_forecasts) const;

  std::string name_;
  std::vector<std::unique_ptr<Forecaster>> models_;
  std::vector<std::size_t> leads_;  // tracked leads, ascending
  double error_memory_frames_;
  // Rows 0..models-1 are the models; then the two answers (best model, blend).
  std::size_t rows() const { return models_.size() + 2; }
  // pending_[issue % ring][row][lead index]: forecasts waiting for their truth.
  std::vector<std::vector<std::vector<double>>> pending_;
  std::vector<bool> pending_valid_;
  std::vector<std::vector<double>> recent_ape_;   // [row][lead index]
  std::vector<std::vector<std::size_t>> scored_;  // [row][lead index]
  // Per lead index, exponentially weighted mean of (best model's APE - blend's APE) and of its
  // square.
  std::vector<double> edge_mean_;
  std::vector<double> edge_square_;
  std::size_t observed_ = 0;
};

// "default": per lead, the blend of every other registered single model (or the best one while
// it is surely better); the default of every command that forecasts.
ForecasterEntry default_forecaster_entry();

}  // namespace chase

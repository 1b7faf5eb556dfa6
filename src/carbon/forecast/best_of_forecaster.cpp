#include "carbon/forecast/best_of_forecaster.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "core/error.hpp"

namespace chase {

BestOfForecaster::BestOfForecaster(std::string name, std::vector<std::unique_ptr<Forecaster>> models,
                                   std::size_t longest_tracked_lead, double error_memory_frames)
    : name_(std::move(name)), models_(std::move(models)), error_memory_frames_(error_memory_frames) {
  if (models_.empty()) throw Error("best-of forecaster needs at least one model");
  longest_tracked_lead = std::max<std::size_t>(1, longest_tracked_lead);
  for (std::size_t lead = 1; lead < longest_tracked_lead; lead *= 2) leads_.push_back(lead);
  leads_.push_back(longest_tracked_lead);
  const std::size_t ring = longest_tracked_lead + 1;
  pending_.assign(ring, std::vector<std::vector<double>>(rows(), std::vector<double>(leads_.size(), 0.0)));
  pending_valid_.assign(ring, false);
  recent_ape_.assign(rows(), std::vector<double>(leads_.size(), 0.0));
  scored_.assign(rows(), std::vector<std::size_t>(leads_.size(), 0));
  edge_mean_.assign(leads_.size(), 0.0);
  edge_square_.assign(leads_.size(), 0.0);
}

std::unique_ptr<Forecaster> BestOfForecaster::fresh() const {
  std::vector<std::unique_ptr<Forecaster>> models;
  for (const auto& m : models_) models.push_back(m->fresh());
  return std::make_unique<BestOfForecaster>(name_, std::move(models), leads_.back(), error_memory_frames_);
}

void BestOfForecaster::observe(const IntensitySample& sample) {
  ++observed_;
  const std::size_t ring = pending_.size();
  const double actual = sample.intensity.g_per_kwh();
  if (actual > 0) {
    std::vector<double> ape(rows());
    for (std::size_t li = 0; li < leads_.size(); ++li) {
      const std::size_t lead = leads_[li];
      if (observed_ <= lead) continue;
      const std::size_t slot = (observed_ - lead) % ring;
      if (!pending_valid_[slot]) continue;
      for (std::size_t r = 0; r < rows(); ++r) {
        ape[r] = std::abs(pending_[slot][r][li] - actual) / actual;
        const double rate = std::max(1.0 / static_cast<double>(scored_[r][li] + 1), 1.0 / error_memory_frames_);
        recent_ape_[r][li] += rate * (ape[r] - recent_ape_[r][li]);
        ++scored_[r][li];
      }
      const double edge = ape[models_.size()] - ape[models_.size() + 1];
      const double rate = std::max(1.0 / static_cast<double>(scored_[0][li]), 1.0 / error_memory_frames_);
      edge_mean_[li] += rate * (edge - edge_mean_[li]);
      edge_square_[li] += rate * (edge * edge - edge_square_[li]);
    }
  }
  for (auto& model : models_) model->observe(sample);
  const std::size_t slot = observed_ % ring;
  std::vector<double> at_lead(models_.size());
  for (std::size_t m = 0; m < models_.size(); ++m) {
    const std::vector<CarbonIntensity> forecast = models_[m]->predict(leads_.back());
    for (std::size_t li = 0; li < leads_.size(); ++li) pending_[slot][m][li] = forecast[leads_[li] - 1].g_per_kwh();
  }
  for (std::size_t li = 0; li < leads_.size(); ++li) {
    for (std::size_t m = 0; m < models_.size(); ++m) at_lead[m] = pending_[slot][m][li];
    pending_[slot][models_.size()][li] = at_lead[best_model_for(li)];
    pending_[slot][models_.size() + 1][li] = blend(li, at_lead);
  }
  pending_valid_[slot] = true;
}

std::size_t BestOfForecaster::bucket_of(std::size_t lead) const {
  std::size_t bucket = 0;
  while (bucket + 1 < leads_.size() && leads_[bucket + 1] <= lead) ++bucket;
  return bucket;
}

std::size_t BestOfForecaster::best_model_for(std::size_t bucket) const {
  std::size_t best = 0;  // the first model (persistence in `default`) until others are scored
  for (std::size_t m = 1; m < models_.size(); ++m) {
    if (scored_[m][bucket] == 0) continue;
    if (scored_[best][bucket] == 0 || recent_ape_[m][bucket] < recent_ape_[best][bucket]) best = m;
  }
  return best;
}

BestOfForecaster::Answer BestOfForecaster::answer_for(std::size_t bucket) const {
  const std::size_t scored = scored_[models_.size() + 1][bucket];
  if (scored == 0) return Answer::kBestModel;  // only persistence has answered yet
  // Forecasts `lead` frames apart share most of their weather: count one independent error per
  // lead over the memory.
  const double independent =
      std::max(1.0, std::min(static_cast<double>(scored), error_memory_frames_) / static_cast<double>(leads_[bucket]));
  const double variance = std::max(edge_square_[bucket] - edge_mean_[bucket] * edge_mean_[bucket], 0.0);
  const double standard_error = std::sqrt(variance / independent);
  return edge_mean_[bucket] < -standard_error ? Answer::kBestModel : Answer::kBlend;
}

double BestOfForecaster::blend(std::size_t bucket, const std::vector<double>& model_forecasts) const {
  double weight_sum = 0.0;
  double weighted = 0.0;
  for (std::size_t m = 0; m < models_.size(); ++m) {
    if (scored_[m][bucket] == 0) continue;
    const double error = std::max(recent_ape_[m][bucket], 1e-9);
    const double weight = 1.0 / (error * error);
    weight_sum += weight;
    weighted += weight * model_forecasts[m];
  }
  return weight_sum > 0 ? weighted / weight_sum : model_forecasts[0];
}

std::string BestOfForecaster::chosen_for(std::size_t frames_ahead) const {
  const std::size_t bucket = bucket_of(std::max<std::size_t>(1, frames_ahead));
  if (answer_for(bucket) == Answer::kBlend) return "blend";
  return models_[best_model_for(bucket)]->name();
}

std::vector<CarbonIntensity> BestOfForecaster::predict(std::size_t frames) const {
  if (observed_ == 0) throw Error(name_ + " forecaster: predict() before any observation");
  std::vector<std::vector<CarbonIntensity>> forecasts;
  for (const auto& m : models_) forecasts.push_back(m->predict(frames));
  std::vector<CarbonIntensity> out(frames);
  std::vector<double> at_lead(models_.size());
  for (std::size_t h = 1; h <= frames; ++h) {
    const std::size_t bucket = bucket_of(h);
    if (answer_for(bucket) == Answer::kBlend) {
      for (std::size_t m = 0; m < models_.size(); ++m) at_lead[m] = forecasts[m][h - 1].g_per_kwh();
      out[h - 1] = CarbonIntensity::g_per_kwh(blend(bucket, at_lead));
    } else {
      out[h - 1] = forecasts[best_model_for(bucket)][h - 1];
    }
  }
  return out;
}


namespace {

std::unique_ptr<Forecaster> make_default(Duration frame, std::size_t longest_lead) {
  std::vector<std::unique_ptr<Forecaster>> models;
  for (const char* name : {"persistence", "seasonal-24h", "seasonal-168h", "ridge", "day-ahead"}) {
    models.push_back(make_forecaster(name, frame));
  }
  // Leads are scored up to one day ahead; errors are remembered for about two weeks. Scoring
  // asks every model for a forecast up to the longest tracked lead at every update, so that
  // lead stops at a day of 5-minute frames (the finest grid data there is): with shorter frames
  // (a test's seconds) a day of leads would make each update cost milliseconds. A caller that
  // needs leads up to `longest_lead` only gets them tracked up to the next power of two: the
  // tracked leads (1, 2, 4, ...) up to there are the same, so are the forecasts.
  constexpr double kMostTrackedLeads = 288;
  const double frames_per_day = std::max(1.0, std::round(Duration::days(1) / frame));
  double tracked = std::min(frames_per_day, kMostTrackedLeads);
  if (longest_lead > 0) tracked = std::min(tracked, static_cast<double>(std::bit_ceil(longest_lead)));
  return std::make_unique<BestOfForecaster>("default", std::move(models), static_cast<std::size_t>(tracked),
                                            14.0 * frames_per_day);
}

}  // namespace

ForecasterEntry default_forecaster_entry() {
  return {"default",
          "per lead time, the error-weighted blend of the above, or the most accurate one while it is surely better",
          true, make_default};
}

}  // namespace chase

// Every forecaster is registered here, one line each.

#include <fmt/format.h>

#include <functional>

#include "carbon/forecast/best_of_forecaster.hpp"
#include "carbon/forecast/day_ahead_forecaster.hpp"
#include "carbon/forecast/forecaster.hpp"
#include "carbon/forecast/learned_forecaster.hpp"
#include "carbon/forecast/persistence_forecaster.hpp"
#include "carbon/forecast/seasonal_naive_forecaster.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

struct Entry {
  const char* name;
  const char* description;
  std::function<std::unique_ptr<Forecaster>(Duration frame, std::size_t longest_lead)> make;
};

std::unique_ptr<Forecaster> make_default(Duration frame, std::size_t longest_lead);

const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries = {
      {"persistence", "every future frame equals the last one",
       [](Duration, std::size_t) { return std::make_unique<PersistenceForecaster>(); }},
      {"seasonal-24h", "the same time yesterday",
       [](Duration f, std::size_t) {
         return std::make_unique<SeasonalNaiveForecaster>("seasonal-24h", Duration::hours(24), f);
       }},
      {"seasonal-168h", "the same time last week",
       [](Duration f, std::size_t) {
         return std::make_unique<SeasonalNaiveForecaster>("seasonal-168h", Duration::hours(168), f);
       }},
      {"ridge", "online robust ridge regression on recent changes, time of day and daily/weekly analogs",
       [](Duration f, std::size_t) { return std::make_unique<LearnedForecaster>(f); }},
      {"day-ahead", "the same time yesterday, moved by the day-to-day change a robust ridge regression expects",
       [](Duration f, std::size_t) { return std::make_unique<DayAheadForecaster>(f); }},
      {"default", "per lead time, the error-weighted blend of the above, or the most accurate one while it is surely better",
       make_default},
  };
  return entries;
}

std::unique_ptr<Forecaster> make_default(Duration frame, std::size_t longest_lead) {
  std::vector<std::unique_ptr<Forecaster>> models;
  for (const char* name : {"persistence", "seasonal-24h", "seasonal-168h", "ridge", "day-ahead"}) {
    models.push_back(make_forecaster(name, frame));
  }
  // Leads are scored up to one day ahead; errors are remembered for about two weeks. Scoring
  // asks every model for a forecast up to the longest tracked lead at every update, so that
  // lead stops at a day of 5-minute frames (the finest grid data there is): with shorter frames
  // (a test's seconds) a day of leads would make each update cost milliseconds.
  constexpr double kMostTrackedLeads = 288;
  const double frames_per_day = std::max(1.0, std::round(Duration::days(1) / frame));
  double tracked = std::min(frames_per_day, kMostTrackedLeads);
  if (longest_lead > 0) tracked = std::min(tracked, static_cast<double>(longest_lead));
  return std::make_unique<BestOfForecaster>("default", std::move(models), static_cast<std::size_t>(tracked),
                                            14.0 * frames_per_day);
}

}  // namespace

std::vector<std::string> forecaster_names() {
  std::vector<std::string> names;
  for (const auto& e : registry()) names.emplace_back(e.name);
  return names;
}

std::string forecaster_description(std::string_view name) {
  for (const auto& e : registry()) {
    if (name == e.name) return e.description;
  }
  return {};
}

std::unique_ptr<Forecaster> make_forecaster(std::string_view name, Duration frame, std::size_t longest_lead) {
  if (!(frame.seconds() > 0)) throw InputError("forecaster frame length must be positive");
  for (const auto& e : registry()) {
    if (name == e.name) return e.make(frame, longest_lead);
  }
  throw InputError(fmt::format("unknown forecaster '{}' (known: {})", name, fmt::join(forecaster_names(), ", ")));
}

}  // namespace chase

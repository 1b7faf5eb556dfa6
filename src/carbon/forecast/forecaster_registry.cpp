// Every forecaster is registered here, one line each (the entry itself lives beside its model).

#include <fmt/format.h>

#include "carbon/forecast/best_of_forecaster.hpp"
#include "carbon/forecast/day_ahead_forecaster.hpp"
#include "carbon/forecast/forecaster.hpp"
#include "carbon/forecast/learned_forecaster.hpp"
#include "carbon/forecast/persistence_forecaster.hpp"
#include "carbon/forecast/seasonal_naive_forecaster.hpp"
#include "core/error.hpp"
#include "core/quantity_format.hpp"

namespace chase {

Registry<ForecasterEntry>& forecaster_registry() {
  static Registry<ForecasterEntry> registry("forecaster", {persistence_forecaster_entry(),  //
                                                           seasonal_24h_forecaster_entry(),
                                                           seasonal_168h_forecaster_entry(),
                                                           ridge_forecaster_entry(),
                                                           day_ahead_forecaster_entry(),
                                                           default_forecaster_entry()});
  return registry;
}

std::vector<std::string> forecaster_names() { return forecaster_registry().names(); }

std::string forecaster_description(std::string_view name) {
  const ForecasterEntry* e = forecaster_registry().find(name);
  return e ? e->description : std::string();
}

std::string default_forecaster_name() {
  return forecaster_registry().first_where([](const ForecasterEntry& e) { return e.is_default; }, "the default").name;
}

std::unique_ptr<Forecaster> make_forecaster(std::string_view name, Duration frame, std::size_t longest_lead) {
  // The forecasters look back a day and a week in frames: at 1 ms that is 600 million of them
  // (gigabytes for a three-row trace). 0.1 s is finer than any grid signal and than NVML's
  // limit changes, and keeps a week's look-back at 6 million frames.
  if (!(frame.seconds() >= 0.1)) {
    throw InputError(fmt::format("frames of {} s are too short to forecast (at least 0.1 s)", format_sig(frame.seconds())));
  }
  return forecaster_registry().get(name).make(frame, longest_lead);
}

}  // namespace chase

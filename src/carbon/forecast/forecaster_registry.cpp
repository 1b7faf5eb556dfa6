// Every forecaster is registered here, one line each.

#include <fmt/format.h>

#include <functional>

#include "carbon/forecast/forecaster.hpp"
#include "carbon/forecast/persistence_forecaster.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

struct Entry {
  const char* name;
  std::function<std::unique_ptr<Forecaster>(Duration frame)> make;
};

const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries = {
      {"persistence", [](Duration) { return std::make_unique<PersistenceForecaster>(); }},
  };
  return entries;
}

}  // namespace

std::vector<std::string> forecaster_names() {
  std::vector<std::string> names;
  for (const auto& e : registry()) names.emplace_back(e.name);
  return names;
}

std::unique_ptr<Forecaster> make_forecaster(std::string_view name, Duration frame) {
  if (!(frame.seconds() > 0)) throw InputError("forecaster frame length must be positive");
  for (const auto& e : registry()) {
    if (name == e.name) return e.make(frame);
  }
  throw InputError(fmt::format("unknown forecaster '{}' (known: {})", name, fmt::join(forecaster_names(), ", ")));
}

}  // namespace chase

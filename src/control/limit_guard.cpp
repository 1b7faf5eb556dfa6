#include "control/limit_guard.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <exception>

namespace chase {

LimitGuard::LimitGuard(std::vector<PowerDevice*> devices, Reporter report) : report_(std::move(report)) {
  if (!report_) report_ = [](const std::string& line) { std::fprintf(stderr, "chase: %s\n", line.c_str()); };
  for (PowerDevice* device : devices) {
    if (device == nullptr || !device->supports_power_limit()) continue;
    recorded_.push_back({device, device->power_limit()});
  }
}

LimitGuard::~LimitGuard() {
  try {
    for (const std::string& line : restore()) report_(line);
  } catch (...) {
    // A reporter that throws must not take the process down from a destructor.
  }
}

std::vector<std::string> LimitGuard::restore() {
  std::vector<std::string> errors;
  for (const Recorded& r : recorded_) {
    try {
      if (r.device->power_limit() != r.original) r.device->set_power_limit(r.original);
    } catch (const std::exception& e) {
      errors.push_back(fmt::format("could not restore the power limit of {} to {} W: {}", r.device->id(),
                                   r.original.watts(), e.what()));
    }
  }
  return errors;
}

}  // namespace chase

#include "energy/device_selection.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace chase {

std::vector<std::shared_ptr<PowerDevice>> select_devices(const std::vector<std::shared_ptr<PowerDevice>>& all,
                                                         const std::vector<std::string>& wanted) {
  if (wanted.empty()) return all;
  std::vector<std::shared_ptr<PowerDevice>> out;
  for (const auto& w : wanted) {
    bool matched = false;
    for (const auto& d : all) {
      if (d->id() == w || d->backend() == w) {
        matched = true;
        if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
      }
    }
    if (!matched) {
      const std::vector<std::string> ids = device_ids(all);
      throw InputError(fmt::format("no device or backend '{}' here (found: {}; see `chase devices`)", w,
                                   ids.empty() ? "none" : fmt::format("{}", fmt::join(ids, ", "))));
    }
  }
  return out;
}

std::vector<PowerDevice*> borrowed(const std::vector<std::shared_ptr<PowerDevice>>& all) {
  std::vector<PowerDevice*> out;
  for (const auto& d : all) out.push_back(d.get());
  return out;
}

std::vector<std::string> device_ids(const std::vector<std::shared_ptr<PowerDevice>>& all) {
  std::vector<std::string> ids;
  for (const auto& d : all) ids.push_back(d->id());
  return ids;
}

}  // namespace chase

#include "control/max_policy.hpp"

namespace chase {

PolicyEntry max_policy_entry() {
  PolicyEntry e;
  e.in_default_benchmark = true;
  e.name = "max";
  e.description = "the GPU's maximum power limit in every frame: the baseline everything is compared with";
  e.baseline = true;
  e.make = [](const PolicyOptions&) { return std::make_unique<MaxPolicy>(); };
  return e;
}

}  // namespace chase

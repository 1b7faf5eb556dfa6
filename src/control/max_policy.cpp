#include "control/max_policy.hpp"

namespace chase {

PolicyEntry max_policy_entry() {
  return {.name = "max", .description = "the GPU's maximum power limit in every frame: the baseline everything is compared with",
          .baseline = true, .in_default_benchmark = true,
          .make = [](const PolicyOptions&) { return std::make_unique<MaxPolicy>(); }};
}

}  // namespace chase

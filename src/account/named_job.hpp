#pragma once
// A training job as a user describes it: the numbers the estimator needs, and the presets they
// came from (an empty key where a number was given directly).

#include <string>

#include "account/patterson.hpp"

namespace chase {

struct NamedJob {
  TrainingJob job;
  GridFactors grid;
  std::string processor;   // processor preset key
  std::string datacenter;  // datacenter preset key
  std::string region;      // region key (carbon/region_catalog.hpp)
  std::string region_basis;  // what its figure is: "DE 2024 (Electricity Maps yearly average)"
};

}  // namespace chase

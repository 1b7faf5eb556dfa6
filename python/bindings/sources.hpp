#pragma once
// How the module hands an intensity source to what prices energy (Monitor): any bound
// IntensitySource, or a number (a constant intensity, gCO2e/kWh).

#include <pybind11/pybind11.h>

#include <memory>
#include <string>

#include "core/intensity_feed.hpp"

namespace chase::python {

struct PricingFeed {
  std::shared_ptr<IntensityFeed> feed;  // keeps the source alive while a Monitor prices with it
  std::string name;                     // the source's name, or "constant"
};

// Throws InputError for a number outside [0, 5000] gCO2e/kWh, TypeError for anything else.
PricingFeed pricing_feed(const pybind11::handle& source);

}  // namespace chase::python

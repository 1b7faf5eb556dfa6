// A project outside chase using the installed library through find_package(chase).
#include <cmath>
#include <iostream>

#include "account/model_presets.hpp"

int main() {
  const auto& gpt3 = chase::bundled_models().get("gpt-3");
  const auto est = chase::estimate_footprint(gpt3.job, gpt3.grid);
  std::cout << gpt3.name << " " << std::lround(est.energy.mwh()) << " MWh\n";
  return 0;
}

#pragma once
// What a window measured, as Python sees it (class Measurement, bound in monitor.cpp): the
// library's WindowResult and the name of what priced it. Monitor and the tracked run's windows
// both return one.

#include <optional>
#include <string>

#include "energy/monitor.hpp"

namespace chase::python {

struct Measurement {
  WindowResult window;
  std::optional<std::string> priced_by;
};

}  // namespace chase::python

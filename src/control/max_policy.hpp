#pragma once
// The baseline everybody runs today: the GPU's maximum (default) power limit, always.

#include "control/policy.hpp"

namespace chase {

class MaxPolicy final : public Policy {
 public:
  std::string name() const override { return "max"; }
  void begin(const PolicyJob& job) override { limit_ = job.points->max_limit().limit; }
  Power decide(const FrameContext&) override { return limit_; }

 private:
  Power limit_;
};

PolicyEntry max_policy_entry();

}  // namespace chase

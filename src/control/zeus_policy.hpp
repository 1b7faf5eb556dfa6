#pragma once
// Zeus (You, Chung, Chowdhury, NSDI '23): one power limit for the whole job, the one minimising
// η·Energy + (1−η)·MaxPower·Time per unit of work. With a slowdown budget, only limits whose
// time per unit stays within the budget of the maximum limit's are candidates. Carbon-blind.

#include "control/policy.hpp"

namespace chase {

class ZeusPolicy final : public Policy {
 public:
  explicit ZeusPolicy(double eta);
  std::string name() const override { return "zeus"; }
  void begin(const PolicyJob& job) override;
  Power decide(const FrameContext&) override { return limit_; }

 private:
  double eta_;
  Power limit_;
};

PolicyEntry zeus_policy_entry();

}  // namespace chase

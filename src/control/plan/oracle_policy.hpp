#pragma once
// The offline optimum every policy is compared to: it reads the true intensity of the whole job
// in advance and plans the least-carbon limits that finish within the slowdown budget
// (carbon_planner.hpp). Without a budget it may take as long as the slowest limit would.
// If the job drifts from the plan (a live job's progress differs from the profile's), it plans
// again from where the job is. Given the job's speed changes (simulation), it plans with them:
// a frame is worth the work its unstalled, possibly slower time does.

#include <vector>

#include "control/intensity_integral.hpp"
#include "control/plan/carbon_planner.hpp"
#include "control/policy.hpp"

namespace chase {

class OraclePolicy final : public Policy {
 public:
  // The trace must outlive the policy.
  explicit OraclePolicy(const IntensityTrace& future, const SpeedChanges* changes = nullptr);
  std::string name() const override { return "oracle"; }
  void begin(const PolicyJob& job) override;
  Power decide(const FrameContext& frame) override;

 private:
  struct Step {
    UtcTime from;
    Power limit;
    double work_before_units;
  };
  void plan_from(UtcTime from, double work_done_units);

  const IntensityTrace* future_;
  SpeedChanges changes_;
  FrameGrid own_grid_;  // the trace's steps, when the job's frames follow the feed's
  PolicyJob job_;
  UtcTime horizon_;
  std::optional<double> exact_end_s_;  // with a budget: the job's allowed time, seconds after its start
  std::vector<Step> plan_;
  std::size_t cursor_ = 0;
};

PolicyEntry oracle_policy_entry();

}  // namespace chase

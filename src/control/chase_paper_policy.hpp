#pragma once
// The Chase prototype's own rule, as the paper describes it (Yang, Meng, Chung, Chowdhury,
// "Chasing Low-Carbon Electricity for Practical and Sustainable DNN Training", 2023): a
// baseline to measure `chase` against, not a policy to run.
//
// In every frame (the paper's are 30 minutes; here whatever the frame loop gives), with CI_pred
// the one-step forecast of the frame's mean intensity (FrameContext::predicted), the limit l of
// the profile minimising the cost per unit of work
//
//     (η·P(l)·CI_pred + (1−η)·P_ref·CI_ref) / rate(l)
//
// where, per unit of work, the first term is the carbon the limit emits and the second the
// price of the time it takes. Every profiled limit is a candidate (the paper searches the
// profile, not a frontier of it); ties go to the higher limit. No slowdown budget: the job's
// budget is ignored, η alone sets the trade-off.
//
// The constants:
//   P(l)    W, the average power the profile measured at limit l (OperatingPoint::power).
//   rate(l) units of work per second at l (OperatingPoint::rate_per_s).
//   P_ref   W, the maximum power limit of the profile: Zeus's MaxPower (You, Chung, Chowdhury,
//           NSDI '23), which turns time into the energy the GPU could have drawn in it; the
//           same convention as ZeusPolicy.
//   CI_ref  g/kWh, a fixed reference intensity: the paper fixes it and does not say to what.
//           The declared parameter --ci-ref sets it; its default, 0, means the time-weighted
//           mean of the intensity observed before the job's start (the warm-up history the
//           frame loop feeds observe()), frozen at the start; with no history at all, the
//           first frame's forecast, frozen likewise.
//   η       the declared parameter --eta, within [0, 1] (the rule never divides by it; η = 0
//           prices time alone: the fastest limit).
//
// When the job's work is done the answer is the most efficient limit, as for the other
// policies.

#include <optional>

#include "control/policy.hpp"

namespace chase {

class ChasePaperPolicy final : public Policy {
 public:
  // eta within [0, 1]; ci_ref_g_per_kwh within [0, 5000], 0 = the mean of the history (above).
  ChasePaperPolicy(double eta, double ci_ref_g_per_kwh);
  std::string name() const override { return "chase-paper"; }
  void begin(const PolicyJob& job) override;
  void observe(UtcTime from, UtcTime until, CarbonIntensity actual) override;
  Power decide(const FrameContext& frame) override;

  // The reference intensity in use (g/kWh): none before the first decision when it comes from
  // the history.
  std::optional<double> reference_intensity() const { return reference_g_per_kwh_; }

 private:
  double eta_;
  double fixed_reference_g_per_kwh_;  // 0: from the history
  PolicyJob job_;
  double history_weighted_ = 0;  // Σ seconds × g/kWh of the frames that ended by the start
  double history_s_ = 0;         // Σ seconds of those frames
  std::optional<double> reference_g_per_kwh_;
};

// The --ci-ref parameter: g/kWh within [0, 5000] (the dirtiest grids are near 1000); 0 = the
// mean of the history before the start.
PolicyParameter ci_ref_parameter();

PolicyEntry chase_paper_policy_entry();

}  // namespace chase

#pragma once
// How much of the job's work is done, in the power profile's units. A training loop that can
// report its progress implements this (the Python integration); otherwise the controller uses
// ModelledWork, which integrates the profile's rate at the limits it set.

#include "control/operating_points.hpp"
#include "core/units.hpp"

namespace chase {

class WorkMeter {
 public:
  virtual ~WorkMeter() = default;
  virtual double work_done_units() const = 0;
  // The controller ran `ran_for` at `limit` (for meters that model rather than measure).
  virtual void ran(Power /*limit*/, Duration /*ran_for*/) {}
  // Whether the work is the job's own count (true) or the profile's model of it.
  virtual bool measured() const { return true; }
};

class ModelledWork final : public WorkMeter {
 public:
  // The points must outlive the meter.
  explicit ModelledWork(const OperatingPoints& points) : points_(&points) {}
  double work_done_units() const override { return done_; }
  void ran(Power limit, Duration ran_for) override { done_ += points_->at(limit).rate_per_s * ran_for.seconds(); }
  bool measured() const override { return false; }

 private:
  const OperatingPoints* points_;
  double done_ = 0;
};

}  // namespace chase

#pragma once
// Running sums of work and carbon over the planner's frames (a Fenwick tree over pairs): the
// planner changes one frame's limit at a time, thousands of times per plan, and after each
// change asks where the job's work runs out. Both in O(log frames). Internal to control/plan/.

#include <bit>
#include <cstddef>
#include <vector>

namespace chase {

class FramePrefixSums {
 public:
  explicit FramePrefixSums(std::size_t frames)
      : work_(frames + 1, 0.0), carbon_(frames + 1, 0.0), top_(std::bit_floor(frames + 1)) {}

  // Adds to frame `frame`'s work (units) and carbon (g); negative to take away.
  void add(std::size_t frame, double work, double carbon_g) {
    for (std::size_t i = frame + 1; i < work_.size(); i += i & (~i + 1)) {
      work_[i] += work;
      carbon_[i] += carbon_g;
    }
  }
  // The number of leading frames whose work sums to less than `target`, with those sums.
  std::size_t count_below(double target, double& work_sum, double& carbon_sum) const {
    std::size_t pos = 0;
    work_sum = 0;
    carbon_sum = 0;
    for (std::size_t step = top_; step > 0; step >>= 1) {
      const std::size_t next = pos + step;
      if (next < work_.size() && work_sum + work_[next] < target) {
        pos = next;
        work_sum += work_[next];
        carbon_sum += carbon_[next];
      }
    }
    return pos;
  }

 private:
  std::vector<double> work_;    // units, Fenwick-indexed from 1
  std::vector<double> carbon_;  // g, Fenwick-indexed from 1
  std::size_t top_;             // the largest power of two within the tree
};

}  // namespace chase

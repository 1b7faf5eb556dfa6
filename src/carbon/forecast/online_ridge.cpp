#include "carbon/forecast/online_ridge.hpp"

#include <algorithm>
#include <cmath>

namespace chase {

OnlineRidge::OnlineRidge(std::size_t features, double forgetting, std::vector<double> ridges)
    : forgetting_(forgetting),
      ridges_(std::move(ridges)),
      normal_(Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(features), static_cast<Eigen::Index>(features))),
      moment_(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(features))),
      coefficients_(std::max<std::size_t>(1, ridges_.size()), Eigen::VectorXd::Zero(static_cast<Eigen::Index>(features))) {
  if (ridges_.empty()) ridges_.push_back(1e-3);
}

void OnlineRidge::add(const Eigen::VectorXd& x, double y, double floor, std::size_t reweight_by) {
  const double residual = fitted_ ? std::abs(y - coefficients_[reweight_by].dot(x)) : std::abs(y);
  // Forgetting without touching every stored entry: new rows count 1/forgetting more than the
  // last one did; only the ratios matter (the ridge is relative), and the growth is folded
  // back in now and then before it could overflow.
  growth_ /= forgetting_;
  const double weight = growth_ / std::max(residual, floor);
  // normal_ += weight x x' (lower triangle), as Eigen's rankUpdate computes each entry, column
  // by column: (weight x_j) x_i. The features are mostly zeros (one-hot time slots and blocks),
  // whose products change nothing: only pairs of non-zero features are visited.
  nonzero_.clear();
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (x[i] != 0.0) nonzero_.push_back(i);
  }
  for (std::size_t a = 0; a < nonzero_.size(); ++a) {
    const Eigen::Index j = nonzero_[a];
    const double scaled = weight * x[j];
    for (std::size_t b = a; b < nonzero_.size(); ++b) normal_(nonzero_[b], j) += scaled * x[nonzero_[b]];
  }
  moment_ += (weight * y) * x;
  ++rows_;
  if (growth_ > 1e150) {
    normal_.triangularView<Eigen::Lower>() /= growth_;
    moment_ /= growth_;
    growth_ = 1.0;
  }
}

void OnlineRidge::solve() {
  const Eigen::MatrixXd full = normal_.selfadjointView<Eigen::Lower>();
  const double scale = std::max(full.diagonal().mean(), 1e-300);
  bool solved_all = true;
  for (std::size_t k = 0; k < ridges_.size(); ++k) {
    Eigen::MatrixXd system = full;
    system.diagonal().array() += ridges_[k] * scale;
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(system);
    Eigen::VectorXd solution = ldlt.solve(moment_);
    if (ldlt.info() != Eigen::Success || !solution.allFinite()) {
      solved_all = false;  // keep the previous fit of this strength
      continue;
    }
    coefficients_[k] = std::move(solution);
  }
  fitted_ = fitted_ || solved_all;
}

}  // namespace chase

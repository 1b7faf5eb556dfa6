#include "carbon/forecast/online_ridge.hpp"

#include <algorithm>
#include <cmath>

namespace chase {

OnlineRidge::OnlineRidge(std::size_t features, double forgetting, double ridge)
    : forgetting_(forgetting),
      ridge_(ridge),
      normal_(Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(features), static_cast<Eigen::Index>(features))),
      moment_(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(features))),
      coefficients_(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(features))) {}

void OnlineRidge::add(const Eigen::VectorXd& x, double y, double floor) {
  const double residual = fitted_ ? std::abs(y - coefficients_.dot(x)) : std::abs(y);
  const double weight = 1.0 / std::max(residual, floor);
  normal_.triangularView<Eigen::Lower>() *= forgetting_;
  normal_.selfadjointView<Eigen::Lower>().rankUpdate(x, weight);
  moment_ = forgetting_ * moment_ + (weight * y) * x;
  ++rows_;
}

void OnlineRidge::solve() {
  Eigen::MatrixXd system = normal_.selfadjointView<Eigen::Lower>();
  const double penalty = ridge_ * std::max(system.diagonal().mean(), 1e-300);
  system.diagonal().array() += penalty;
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(system);
  if (ldlt.info() != Eigen::Success) return;  // keep the previous fit
  Eigen::VectorXd solution = ldlt.solve(moment_);
  if (!solution.allFinite()) return;
  coefficients_ = std::move(solution);
  fitted_ = true;
}

}  // namespace chase

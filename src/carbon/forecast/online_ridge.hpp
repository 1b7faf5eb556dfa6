#pragma once
// Ridge regression trained online: the normal equations are accumulated with exponential
// forgetting (old grid behaviour fades), each row weighted by 1/|residual| under the current fit
// (one step of iteratively reweighted least squares per row, which approximates least absolute
// error: the spikes of real feeds then do not drag the fit, and absolute error is what MAPE
// scores). An update costs O(features^2); solve() costs O(features^3) and runs once in a while.

#include <Eigen/Dense>

#include <cstddef>

namespace chase {

class OnlineRidge {
 public:
  // `forgetting` in (0, 1]: the weight of a row one update older. `ridge` is relative to the mean
  // diagonal of the normal matrix, so it does not depend on the scale of the features.
  OnlineRidge(std::size_t features, double forgetting, double ridge);

  // Adds one row; `floor` bounds the reweighting (no row counts more than 1/floor).
  void add(const Eigen::VectorXd& x, double y, double floor);
  void solve();

  bool fitted() const { return fitted_; }
  std::size_t rows() const { return rows_; }
  double predict(const Eigen::VectorXd& x) const { return fitted_ ? coefficients_.dot(x) : 0.0; }
  const Eigen::VectorXd& coefficients() const { return coefficients_; }

 private:
  double forgetting_;
  double ridge_;
  Eigen::MatrixXd normal_;  // sum of w x x^T (lower triangle kept)
  Eigen::VectorXd moment_;  // sum of w x y
  Eigen::VectorXd coefficients_;
  std::size_t rows_ = 0;
  bool fitted_ = false;
};

}  // namespace chase

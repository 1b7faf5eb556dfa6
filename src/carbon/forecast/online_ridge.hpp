#pragma once
// Ridge regression trained online: the normal equations are accumulated with exponential
// forgetting (old grid behaviour fades), each row weighted by 1/|residual| under the current fit
// (one step of iteratively reweighted least squares per row, which approximates least absolute
// error: the spikes of real feeds then do not drag the fit, and absolute error is what MAPE
// scores). Several ridge strengths are solved from the same accumulated equations, so choosing
// among them costs one extra solve each, not another model. An update costs O(features^2);
// solve() costs O(features^3) per strength and runs once in a while.

#include <Eigen/Dense>

#include <cstddef>
#include <vector>

namespace chase {

class OnlineRidge {
 public:
  // `forgetting` in (0, 1]: the weight of a row one update older. Each ridge strength is
  // relative to the mean diagonal of the normal matrix, so it does not depend on feature scale.
  OnlineRidge(std::size_t features, double forgetting, std::vector<double> ridges);

  // Adds one row, reweighted by its residual under fit `reweight_by`; `floor` bounds the
  // reweighting (no row counts more than 1/floor).
  void add(const Eigen::VectorXd& x, double y, double floor, std::size_t reweight_by = 0);
  void solve();

  std::size_t strengths() const { return ridges_.size(); }
  double ridge(std::size_t k) const { return ridges_[k]; }
  bool fitted() const { return fitted_; }
  std::size_t rows() const { return rows_; }
  double predict(const Eigen::VectorXd& x, std::size_t k = 0) const { return fitted_ ? coefficients_[k].dot(x) : 0.0; }

 private:
  double forgetting_;
  std::vector<double> ridges_;
  Eigen::MatrixXd normal_;  // sum of w x x^T (lower triangle kept)
  Eigen::VectorXd moment_;  // sum of w x y
  std::vector<Eigen::VectorXd> coefficients_;  // one per ridge strength
  double growth_ = 1.0;  // weight of the newest row relative to the stored scale
  std::size_t rows_ = 0;
  bool fitted_ = false;
};

}  // namespace chase

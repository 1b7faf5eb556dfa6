#pragma once
// Ridge regression trained online: the normal equations are accumulated with exponential
// forgetting (old grid behaviour fades), each row weighted by 1/max(|residual|, floor) under the
// current fit (one step of iteratively reweighted least squares per row for Huber's loss with
// threshold `floor`: squared for small residuals, absolute for large ones, so the spikes of real
// feeds do not drag the fit; a tiny floor approximates least absolute error). Several ridge strengths are solved from the same accumulated equations, so choosing
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

  // Adds one row, reweighted by its residual under fit `reweight_by`; `floor` is the Huber
  // threshold (no row counts more than 1/floor).
  void add(const Eigen::VectorXd& x, double y, double floor, std::size_t reweight_by = 0);
  void solve();

  // Huber's threshold for residuals whose mean absolute size is `mean_abs_residual`: 1.345
  // standard deviations (the textbook constant: 95 % as efficient as least squares when errors
  // are normal), the deviation estimated as sqrt(pi / 2) times the mean absolute residual.
  static double huber_threshold(double mean_abs_residual) { return 1.345 * 1.2533 * mean_abs_residual; }

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
  std::vector<Eigen::Index> nonzero_;  // scratch of add(): the non-zero features of its row
  double growth_ = 1.0;  // weight of the newest row relative to the stored scale
  std::size_t rows_ = 0;
  bool fitted_ = false;
};

}  // namespace chase

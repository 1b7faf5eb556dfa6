#pragma once
// How far a figure we compute is from a published one.

namespace chase {

// In % of the published figure: positive when ours is higher.
inline double deviation_pct(double ours, double published) { return (ours / published - 1.0) * 100.0; }

}  // namespace chase

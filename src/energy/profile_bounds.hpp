#pragma once
// The range of values a GPU power profile (energy/power_profile.hpp) may hold: a row outside it
// is a unit slip (mW for W, ms for s), a corrupt file or a typo, and values like 1e308 would
// overflow the simulator's and the benchmark's sums.
//
// Power: the most power-hungry accelerators sold today are NVIDIA's Blackwell parts, about
// 1,000 W (B200, HGX) to 1,200 W (GB200 NVL72, per GPU) of TDP (NVIDIA B200/GB200 datasheets,
// 2024); AMD's MI355X is 1,400 W. 5,000 W leaves more than three times that as margin for the
// next generations, and still catches a limit written in mW (250,000 for 250 W). It bounds both
// a row's power limit and its average power (energy / time): no GPU draws more than it can be
// limited to by more than measurement noise, and a 1e308 J row is refused either way.
//
// Time: a row's time is for the profile's unit of work (an iteration, an epoch, a whole job);
// ten years, as for every job-related span (control/job_spec.hpp, kLongestJobHours), which this
// layer cannot include.

#include <cmath>

namespace chase {

inline constexpr double kMaxProfilePowerW = 5000;
inline constexpr double kLongestProfileTimeS = 87'600.0 * 3600;

}  // namespace chase

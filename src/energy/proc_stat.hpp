#pragma once
// CPU time from /proc/stat, for the estimated CPU device: the aggregate "cpu" line in jiffies
// (user nice system idle iowait irq softirq steal [guest guest_nice]).

#include <cstdint>
#include <string>
#include <string_view>

namespace chase {

struct CpuTimes {
  // user + nice + system + irq + softirq (guest time is already inside user and nice).
  std::uint64_t busy_jiffies = 0;
  // busy + idle + iowait + steal: steal is time the hypervisor ran someone else, not our work.
  std::uint64_t total_jiffies = 0;
};

// Throws ParseError naming `source` and the line when the aggregate line is missing or short.
CpuTimes parse_proc_stat(std::string_view text, const std::string& source);

// Busy share of the jiffies between two readings, in [0, 1]; 0 when none passed.
double utilisation_between(const CpuTimes& earlier, const CpuTimes& later);

}  // namespace chase

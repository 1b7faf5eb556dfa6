#include "cli/speed_change_flags.hpp"

#include "cli/flag_checks.hpp"
#include "control/job_spec.hpp"

namespace chase::cli {

void SpeedChangeFlags::add_to(CLI::App& command) {
  CLI::Option* slower_after = command
      .add_option("--slower-after-hours", slower_after_hours,
                  "The job gets slower (--slower-by) this many hours after its start, under every policy alike")
      ->check(non_negative())
      ->check(at_most(kLongestJobHours, "ten years"));
  // Each of these means nothing without the flag it refines: refused, not silently ignored.
  command.add_option("--slower-by", slower_by, "How much slower, as a fraction of time per unit of work (0.10 = 10 %)")
      ->capture_default_str()
      ->check(within(0, 10))
      ->needs(slower_after);
  CLI::Option* stall_every = command
      .add_option("--stall-every-minutes", stall_every_minutes,
                  "The job stalls (does no work, at low power) every this many minutes, under every policy alike")
      ->check(positive())
      ->check(at_most(kLongestJobHours * 60, "ten years"));
  command.add_option("--stall-minutes", stall_minutes, "How long each stall lasts, minutes")
      ->capture_default_str()
      ->check(positive())
      ->check(at_most(kLongestJobHours * 60, "ten years"))
      ->needs(stall_every);
  command
      .add_option("--stall-power-w", stall_power_w,
                  "The GPU's power during a stall, W (default: the profile's lowest average power)")
      ->check(non_negative())
      ->check(at_most(1e5, "100 kW"))
      ->needs(stall_every);
}

SpeedChanges SpeedChangeFlags::changes() const {
  SpeedChanges c;
  if (slower_after_hours >= 0) {
    c.slower_after = Duration::hours(slower_after_hours);
    c.slower_by = slower_by;
  }
  if (stall_every_minutes > 0) {
    c.stall_every = Duration::minutes(stall_every_minutes);
    c.stall_length = Duration::minutes(stall_minutes);
    if (stall_power_w >= 0) c.stall_power = Power::watts(stall_power_w);
  }
  with_flag("--stall-minutes", [&] { c.check(); });
  return c;
}

}  // namespace chase::cli

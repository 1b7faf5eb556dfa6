#include "cli/job_options.hpp"

#include <fmt/format.h>

#include "account/job_request.hpp"
#include "cli/flag_checks.hpp"
#include "control/job_spec.hpp"
#include "core/error.hpp"

namespace chase::cli {

void JobOptions::add_to(CLI::App& command) {
  hours_opt_ = command.add_option("--hours", hours_, "Training time in hours")
                   ->check(positive())
                   ->check(at_most(kLongestJobHours, "ten years"));
  processors_opt_ = command.add_option("--processors", processors_, "Number of processors (GPUs, TPU chips, ...)")
                        ->check(positive());
  power_opt_ = command.add_option("--power-w", power_w_, "Average power per processor in W, incl. host share")
                   ->check(positive());
  processor_opt_ = command.add_option("--processor", processor_,
                                      "Processor preset for the power (see `chase presets`)");
  pue_opt_ = command.add_option("--pue", pue_, "Datacenter power usage effectiveness (>= 1)")
                 ->check(within(1.0, kHighestPue));
  datacenter_opt_ = command.add_option("--datacenter", datacenter_, "Datacenter preset for the PUE");
  intensity_opt_ = command.add_option("--intensity", intensity_, "Grid carbon intensity in gCO2e/kWh")
                       ->check(carbon_intensity());
  cfe_opt_ = command.add_option("--cfe", cfe_, "24/7 carbon-free energy share, 0..1 (adds a CFE view)")
                 ->check(fraction());
  region_opt_ = command.add_option("--region", region_,
                                   "Grid zone, country (ISO code or name) or region preset for the intensity and CFE "
                                   "(see `chase presets regions`)");
  year_opt_ = command.add_option("--year", year_, "The year of --region (and --to-region) (default: its latest complete year)")
                  ->check(CLI::Range(1900, 2200));
  year_opt_->needs(region_opt_);
  power_opt_->excludes(processor_opt_);
  pue_opt_->excludes(datacenter_opt_);
  intensity_opt_->excludes(region_opt_);
}

namespace {

// The library's resolution names each input by its flag.
JobFieldNames flag_names() {
  JobFieldNames n;
  n.hours = "--hours";
  n.processors = "--processors";
  n.power = "--power-w";
  n.processor = "--processor";
  n.pue = "--pue";
  n.datacenter = "--datacenter";
  n.intensity = "--intensity";
  n.region = "--region";
  n.product = "--hours × --processors × --power-w × --pue × --intensity";
  return n;
}

}  // namespace

std::optional<int> JobOptions::year() const {
  return year_opt_->count() > 0 ? std::optional<int>(year_) : std::nullopt;
}

std::vector<CLI::Option*> JobOptions::options() const {
  return {hours_opt_, processors_opt_, power_opt_, processor_opt_, pue_opt_,
          datacenter_opt_, intensity_opt_, cfe_opt_, region_opt_, year_opt_};
}

NamedJob JobOptions::resolve(const std::string& alternative) const {
  JobRequest q;
  if (hours_opt_->count() > 0) q.training_time = Duration::hours(hours_);
  if (processors_opt_->count() > 0) q.processors = processors_;
  if (power_opt_->count() > 0) q.power_per_processor = Power::watts(power_w_);
  if (processor_opt_->count() > 0) q.processor = processor_;
  if (pue_opt_->count() > 0) q.pue = pue_;
  if (datacenter_opt_->count() > 0) q.datacenter = datacenter_;
  if (intensity_opt_->count() > 0) q.intensity = CarbonIntensity::g_per_kwh(intensity_);
  if (region_opt_->count() > 0) q.region = region_;
  q.year = year();
  if (cfe_opt_->count() > 0) q.cfe_fraction = cfe_;
  return resolve_job(q, flag_names(), alternative);
}

}  // namespace chase::cli

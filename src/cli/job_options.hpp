#pragma once
// The flags that describe one training job for the Patterson estimator, shared by
// `chase estimate` and `chase compare`: --hours --processors (--power-w | --processor)
// (--pue | --datacenter) (--intensity [--cfe] | --region [--year]).

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "account/named_job.hpp"

namespace chase::cli {

class JobOptions {
 public:
  void add_to(CLI::App& command);
  // Throws InputError naming the first missing flag; `alternative` is appended to the message
  // (e.g. "or use --preset NAME").
  NamedJob resolve(const std::string& alternative) const;
  // Options that conflict with a preset baseline.
  std::vector<CLI::Option*> options() const;
  // --year, if given.
  std::optional<int> year() const;

 private:
  int year_ = 0;
  double hours_ = 0, processors_ = 0, power_w_ = 0, pue_ = 0, intensity_ = 0, cfe_ = 0;
  std::string processor_, datacenter_, region_;
  CLI::Option* hours_opt_ = nullptr;
  CLI::Option* processors_opt_ = nullptr;
  CLI::Option* power_opt_ = nullptr;
  CLI::Option* processor_opt_ = nullptr;
  CLI::Option* pue_opt_ = nullptr;
  CLI::Option* datacenter_opt_ = nullptr;
  CLI::Option* intensity_opt_ = nullptr;
  CLI::Option* cfe_opt_ = nullptr;
  CLI::Option* region_opt_ = nullptr;
  CLI::Option* year_opt_ = nullptr;
};

}  // namespace chase::cli

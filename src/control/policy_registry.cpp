// Every policy is registered here, one line each (the entry itself lives beside its policy).

#include <fmt/format.h>

#include <algorithm>

#include "control/chase_paper_policy.hpp"
#include "control/chase_policy.hpp"
#include "control/max_policy.hpp"
#include "control/plan/oracle_policy.hpp"
#include "control/policy.hpp"
#include "control/zeus_policy.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

std::string needs_future_message(std::string_view name) {
  return fmt::format("policy '{}' needs the true intensity of the whole job (a trace), which only the simulator has",
                     name);
}

}  // namespace

Registry<PolicyEntry>& policy_registry() {
  static Registry<PolicyEntry> registry("policy", {max_policy_entry(),  //
                                                   zeus_policy_entry(),
                                                   chase_policy_entry(),
                                                   chase_open_loop_policy_entry(),
                                                   oracle_policy_entry(),
                                                   chase_paper_policy_entry()});
  return registry;
}

std::unique_ptr<Policy> make_policy(std::string_view name, const PolicyOptions& options) {
  const PolicyEntry& entry = policy_registry().get(name);
  PolicyOptions complete;
  complete.future = options.future;
  complete.speed_changes = options.speed_changes;
  for (const PolicyParameter& p : entry.parameters) {
    const auto given = options.parameters.find(p.name);
    const double value = given == options.parameters.end() ? p.default_value : given->second;
    if (!p.accepts(value)) {
      throw InputError(fmt::format("policy '{}' takes --{} within {}, not {:g}", name, p.name, p.range(), value));
    }
    complete.parameters[p.name] = value;
  }
  if (entry.needs_future && options.future == nullptr) throw InputError(needs_future_message(name));
  return entry.make(complete);
}

std::vector<std::string> policy_names() { return policy_registry().names(); }

std::vector<std::string> default_benchmark_policies() {
  return policy_registry().names_where([](const PolicyEntry& e) { return e.in_default_benchmark; });
}

const std::string& baseline_policy_name() {
  return policy_registry().first_where([](const PolicyEntry& e) { return e.baseline; }, "the baseline").name;
}

bool is_offline_optimum(std::string_view name) { return policy_registry().get(name).needs_future; }

bool takes_budget(std::string_view name) { return policy_registry().get(name).takes_budget; }

const std::string& default_policy_name() {
  return policy_registry().first_where([](const PolicyEntry& e) { return e.is_default; }, "the default").name;
}

void check_live_policy(std::string_view name) {
  if (policy_registry().get(name).needs_future) throw InputError(needs_future_message(name));
}

std::vector<PolicyParameter> policy_parameters() {
  std::vector<PolicyParameter> out;
  for (const PolicyEntry& e : policy_registry().entries()) {
    for (const PolicyParameter& p : e.parameters) {
      const auto same = std::find_if(out.begin(), out.end(), [&](const PolicyParameter& q) { return q.name == p.name; });
      if (same == out.end()) {
        out.push_back(p);
        continue;
      }
      // The flag takes what any policy takes (the widest range); each policy checks its own.
      if (p.min < same->min || (p.min == same->min && !p.min_excluded)) {
        same->min_excluded = p.min < same->min ? p.min_excluded : false;
        same->min = p.min;
      }
      same->max = std::max(same->max, p.max);
    }
  }
  return out;
}

}  // namespace chase

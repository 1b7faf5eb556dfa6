// Every policy is registered here, one line each.

#include <fmt/format.h>

#include <functional>

#include "control/chase_policy.hpp"
#include "control/max_policy.hpp"
#include "control/plan/oracle_policy.hpp"
#include "control/policy.hpp"
#include "control/zeus_policy.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

struct Entry {
  const char* name;
  std::function<std::unique_ptr<Policy>(const PolicyOptions&)> make;
};

std::unique_ptr<Policy> make_oracle(const PolicyOptions& options) {
  if (options.future == nullptr) {
    throw InputError("policy 'oracle' needs the true intensity of the whole job (a trace), which only the simulator has");
  }
  return std::make_unique<OraclePolicy>(*options.future);
}

const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries = {
      {"max", [](const PolicyOptions&) { return std::make_unique<MaxPolicy>(); }},
      {"zeus", [](const PolicyOptions& o) { return std::make_unique<ZeusPolicy>(o.eta); }},
      {"chase", [](const PolicyOptions& o) { return std::make_unique<ChasePolicy>(o.eta); }},
      {"oracle", make_oracle},
  };
  return entries;
}

}  // namespace

std::vector<std::string> policy_names() {
  std::vector<std::string> names;
  for (const auto& e : registry()) names.emplace_back(e.name);
  return names;
}

std::unique_ptr<Policy> make_policy(std::string_view name, const PolicyOptions& options) {
  for (const auto& e : registry()) {
    if (name == e.name) return e.make(options);
  }
  throw InputError(fmt::format("unknown policy '{}' (known: {})", name, fmt::join(policy_names(), ", ")));
}

}  // namespace chase

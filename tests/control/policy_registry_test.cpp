#include <gtest/gtest.h>

#include "control/policy.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

TEST(PolicyRegistry, KnowsEveryPolicyByName) {
  EXPECT_EQ(policy_names(), (std::vector<std::string>{"max", "zeus", "chase", "oracle"}));
  const auto trace = IntensityTrace::load("gb-2020");
  PolicyOptions options;
  options.future = &trace;
  for (const auto& name : policy_names()) EXPECT_EQ(make_policy(name, options)->name(), name);
}

TEST(PolicyRegistry, UnknownNamesAndAnOracleWithoutTheFutureAreInputErrors) {
  try {
    make_policy("greedy");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown policy 'greedy' (known: max, zeus, chase, oracle)"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(make_policy("oracle"), InputError);
  EXPECT_THROW(check_live_policy("oracle"), InputError);
  EXPECT_NO_THROW(check_live_policy("chase"));
}

TEST(PolicyRegistry, EntriesDescribeThemselves) {
  EXPECT_EQ(baseline_policy_name(), "max");
  EXPECT_EQ(default_policy_name(), "chase");
  EXPECT_EQ(default_benchmark_policies(), (std::vector<std::string>{"max", "zeus", "chase", "oracle"}));
  const PolicyEntry& oracle = policy_registry().get("oracle");
  EXPECT_TRUE(oracle.needs_future);
  EXPECT_FALSE(oracle.description.empty());
  // η is declared by zeus and chase and offered once.
  const auto parameters = policy_parameters();
  ASSERT_EQ(parameters.size(), 1u);
  EXPECT_EQ(parameters[0].name, "eta");
  EXPECT_DOUBLE_EQ(parameters[0].default_value, 0.5);
}

TEST(PolicyRegistry, ParametersOutsideTheirDeclaredRangeAreRefused) {
  try {
    make_policy("zeus", PolicyOptions::with_eta(1.5));
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--eta: 1.5 is outside [0, 1] for policy 'zeus'"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace chase

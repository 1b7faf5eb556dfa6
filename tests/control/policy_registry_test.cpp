#include <gtest/gtest.h>

#include "control/policy.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

TEST(PolicyRegistry, KnowsEveryPolicyByName) {
  EXPECT_EQ(policy_names(), (std::vector<std::string>{"max", "zeus", "chase", "chase-open-loop", "oracle", "chase-paper"}));
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
    EXPECT_NE(std::string(e.what()).find("unknown policy 'greedy' (known: max, zeus, chase, chase-open-loop, oracle, chase-paper)"), std::string::npos)
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
  // η is declared by zeus, chase and chase-paper and offered once; chase-paper adds --ci-ref.
  const auto parameters = policy_parameters();
  ASSERT_EQ(parameters.size(), 2u);
  EXPECT_EQ(parameters[0].name, "eta");
  EXPECT_DOUBLE_EQ(parameters[0].default_value, 0.5);
  EXPECT_EQ(parameters[1].name, "ci-ref");
  EXPECT_DOUBLE_EQ(parameters[1].default_value, 0);
  // The Chase paper's rule is a baseline to compare with, not part of the default benchmark.
  EXPECT_FALSE(policy_registry().get("chase-paper").in_default_benchmark);
}

TEST(PolicyRegistry, ParametersOutsideTheirDeclaredRangeAreRefused) {
  try {
    make_policy("zeus", PolicyOptions::with_eta(1.5));
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "policy 'zeus' takes --eta within [0, 1], not 1.5");
  }
}

// Chase divides by η: its declared range excludes 0, the message says so, and the one flag
// offers the widest range (zeus takes 0).
TEST(PolicyRegistry, TheRangeAMessageStatesIsTheRangeChecked) {
  try {
    make_policy("chase", PolicyOptions::with_eta(0));
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "policy 'chase' takes --eta within (0, 1], not 0");
  }
  EXPECT_NO_THROW(make_policy("chase", PolicyOptions::with_eta(1e-9)));
  EXPECT_NO_THROW(make_policy("zeus", PolicyOptions::with_eta(0)));
  const auto parameters = policy_parameters();
  ASSERT_EQ(parameters.size(), 2u);  // eta, ci-ref
  EXPECT_EQ(parameters[0].range(), "[0, 1]");
  EXPECT_TRUE(parameters[0].accepts(0));
  EXPECT_FALSE(parameters[0].accepts(-0.1));
  EXPECT_FALSE(positive_eta_parameter().accepts(0));
  EXPECT_TRUE(positive_eta_parameter().accepts(1));
  EXPECT_EQ(positive_eta_parameter().range(), "(0, 1]");
}

}  // namespace
}  // namespace chase

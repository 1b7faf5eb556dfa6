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
}

}  // namespace
}  // namespace chase

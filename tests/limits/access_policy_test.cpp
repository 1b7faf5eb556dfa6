// chased's access policy from its TOML config: who may set which GPU within which range, and
// the one line a refusal says.

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "limits/access_policy.hpp"

namespace chase {
namespace {

const std::string kA40 = "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6";

AccessPolicy example() {
  return AccessPolicy::parse(R"(
[[allow]]
users = [1001, "root"]
gpus = "all"

[[allow]]
groups = [2000]
gpus = [1, "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6"]
min_w = 150
max_w = 250
)",
                             "chased.toml");
}

TEST(AccessPolicy, UsersAndGroupsGetWhatTheirRulesSay) {
  const AccessPolicy p = example();
  EXPECT_EQ(p.refusal({1, 1001, {1001}}, 0, kA40, Power::watts(100)), std::nullopt);
  EXPECT_EQ(p.refusal({1, 0, {0}}, 5, "GPU-other", Power::watts(100)), std::nullopt);  // "root" resolved to 0
  const PeerCredentials member{1, 3000, {3000, 2000}};                                 // supplementary group
  EXPECT_EQ(p.refusal(member, 0, kA40, Power::watts(200)), std::nullopt);               // by UUID
  EXPECT_EQ(p.refusal(member, 1, "GPU-x", Power::watts(150)), std::nullopt);            // by index
  EXPECT_NE(p.refusal(member, 0, kA40, Power::watts(260))->find("allows them 150-250 W"), std::string::npos);
  EXPECT_NE(p.refusal(member, 2, "GPU-y", Power::watts(200))->find("may not control GPU 2 (GPU-y)"), std::string::npos);
  const auto stranger = p.refusal({1, 4000, {4000}}, 0, kA40, Power::watts(200));
  ASSERT_TRUE(stranger.has_value());
  EXPECT_NE(stranger->find("uid 4000"), std::string::npos) << *stranger;
  EXPECT_NE(stranger->find("may not control GPU power limits here (chased.toml"), std::string::npos) << *stranger;
  EXPECT_FALSE(p.knows({1, 4000, {4000}}));
}

TEST(AccessPolicy, TheAllowedRangeIsTheWidestMatchingRuleWithinTheGpusOwn) {
  const AccessPolicy p = example();
  const PowerLimitRange a40{Power::watts(100), Power::watts(300)};
  // A user with an unbounded rule gets the GPU's own range.
  const auto everything = p.allowed_range({1, 1001, {1001}}, 0, kA40, a40);
  ASSERT_TRUE(everything.has_value());
  EXPECT_DOUBLE_EQ(everything->min.watts(), 100);
  EXPECT_DOUBLE_EQ(everything->max.watts(), 300);
  // The group's rule: 150-250 W.
  const auto group = p.allowed_range({1, 3000, {3000, 2000}}, 0, kA40, a40);
  ASSERT_TRUE(group.has_value());
  EXPECT_DOUBLE_EQ(group->min.watts(), 150);
  EXPECT_DOUBLE_EQ(group->max.watts(), 250);
  // Clipped to the GPU: a 100-200 W GPU leaves 150-200 W.
  const auto clipped = p.allowed_range({1, 3000, {3000, 2000}}, 0, kA40, {Power::watts(100), Power::watts(200)});
  ASSERT_TRUE(clipped.has_value());
  EXPECT_DOUBLE_EQ(clipped->max.watts(), 200);
  // A GPU the rule does not name, a stranger, a rule above the GPU's range: nothing.
  EXPECT_FALSE(p.allowed_range({1, 3000, {3000, 2000}}, 2, "GPU-y", a40).has_value());
  EXPECT_FALSE(p.allowed_range({1, 4000, {4000}}, 0, kA40, a40).has_value());
  EXPECT_FALSE(p.allowed_range({1, 3000, {3000, 2000}}, 0, kA40, {Power::watts(60), Power::watts(120)}).has_value());
}

TEST(AccessPolicy, NoRuleIsImplicit) {
  const AccessPolicy empty = AccessPolicy::parse("", "empty.toml");
  EXPECT_TRUE(empty.refusal({1, 0, {0}}, 0, kA40, Power::watts(200)).has_value());  // not even root
  const AccessPolicy own = AccessPolicy::only_user(1234, "default");
  EXPECT_EQ(own.refusal({1, 1234, {1234}}, 7, kA40, Power::watts(1)), std::nullopt);
  EXPECT_TRUE(own.refusal({1, 1235, {1234}}, 7, kA40, Power::watts(1)).has_value());
}

void expect_bad(const std::string& text, const std::string& says) {
  try {
    AccessPolicy::parse(text, "c.toml");
    ADD_FAILURE() << "accepted: " << text;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
  }
}

TEST(AccessPolicy, MistakesInTheConfigAreErrorsThatNameTheRuleAndKey) {
  expect_bad("[[allow]]\nusers = [\"no-such-user-here\"]\ngpus = \"all\"\n", "c.toml [[allow]] #1: 'users': no user named");
  expect_bad("[[allow]]\ngroups = [\"no-such-group-here\"]\ngpus = \"all\"\n", "no group named 'no-such-group-here'");
  expect_bad("[[allow]]\nusers = [1]\n", "missing 'gpus'");
  expect_bad("[[allow]]\nusers = [1]\ngpus = \"some\"\n", "'gpus' must be \"all\"");
  expect_bad("[[allow]]\nusers = [1]\ngpus = [\"nvml:0\"]\n", "an NVML index or a UUID");
  expect_bad("[[allow]]\ngpus = \"all\"\n", "would allow nobody");
  expect_bad("[[allow]]\nusers = [1]\ngpus = \"all\"\nmin_w = 300\nmax_w = 200\n", "'min_w' 300 is above 'max_w' 200");
  expect_bad("[[allow]]\nusers = [1]\ngpus = \"all\"\nmax_watts = 200\n", "unknown key 'max_watts'");
  expect_bad("[allow]\nusers = [1]\n", "'allow' must be an array of tables");
  expect_bad("[users]\n", "unknown key 'users'");
  expect_bad("[[allow]\n", "c.toml:1");
}

}  // namespace
}  // namespace chase

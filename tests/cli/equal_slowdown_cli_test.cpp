// `chase bench policies --at-slowdown-of <peer>` as a real process, on one bundled trace and
// profile with few, short jobs.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::run_chase;

std::vector<std::string> at_slowdown_of(const std::string& peer, std::vector<std::string> extra) {
  std::vector<std::string> args{"bench",       "policies", "--at-slowdown-of", peer,           "--traces", "gb-2020",
                                "--profiles",  "a40-resnet50", "--every-hours", "720", "--work-hours", "6"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(EqualSlowdownCli, JsonSummarisesThePeerChaseAndTheOracle) {
  const auto r = run_chase(at_slowdown_of("chase-paper", {"--json", "--threads", "2", "--ci-ref", "150"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["parameters"]["ci-ref"], 150);
  EXPECT_EQ(j["parameters"]["eta"], 0.5);
  EXPECT_EQ(j["peer"], "chase-paper");
  EXPECT_EQ(j["policy"], "chase");
  EXPECT_EQ(j["oracle"], "oracle");
  EXPECT_EQ(j["work_hours"], 6);
  EXPECT_EQ(j["frame_s"], 300);
  ASSERT_EQ(j["summary"].size(), 2u);  // the profile, all
  const auto& all = j["summary"][1];
  EXPECT_EQ(all["profile"], "all");
  EXPECT_EQ(all["runs"], j["runs"]);
  EXPECT_GE(all["runs"].get<int>(), 10);
  EXPECT_EQ(all["policy_over_budget"], 0);
  EXPECT_EQ(all["oracle_above_policy"], 0);
  EXPECT_GE(all["mean_oracle_saved_pct"].get<double>(), all["mean_policy_saved_pct"].get<double>() - 1e-7);
  EXPECT_LE(all["worst_policy_minus_peer_pp"].get<double>(), all["mean_policy_minus_peer_pp"].get<double>());
  EXPECT_GE(all["policy_matches_peer_pct"].get<double>(), 0);
  EXPECT_LE(all["policy_matches_peer_pct"].get<double>(), 100);
}

TEST(EqualSlowdownCli, TheTableAndEveryRunAsCsv) {
  test::TempDir dir;
  const auto runs = (dir.path() / "runs.csv").string();
  const auto r = run_chase(at_slowdown_of("chase-paper", {"--frame-minutes", "30", "--runs-csv", runs}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("30-min frames"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("chase − chase-paper"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("within 0.05 pp"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("nan"), std::string::npos) << r.out;
  std::ifstream in(runs);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header,
            "trace,profile,start,peer_slowdown_pct,budget_pct,max_carbon_g,peer_saved_pct,policy_saved_pct,"
            "oracle_saved_pct,policy_minus_peer_pp,policy_slowdown_pct,oracle_slowdown_pct,policy_within");
  std::size_t rows = 0;
  for (std::string line; std::getline(in, line);) {
    ++rows;
    EXPECT_EQ(line.rfind("gb-2020,a40-resnet50,", 0), 0u) << line;
  }
  EXPECT_GE(rows, 10u);
}

TEST(EqualSlowdownCli, OneErrorLineForAPeerItCannotRun) {
  const auto unknown = run_chase(at_slowdown_of("chase-papr", {}));
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err, "chase: error: --at-slowdown-of: unknown policy 'chase-papr' (known: max, zeus, chase, chase-open-loop, oracle, "
                         "chase-paper)\n");
  const auto oracle = run_chase(at_slowdown_of("oracle", {}));
  EXPECT_EQ(oracle.exit_code, 2);
  EXPECT_EQ(oracle.err, "chase: error: --at-slowdown-of: 'oracle' needs the true intensity of the whole job: the peer "
                        "must be a policy that can run live, without a budget\n");
  // The equal-slowdown mode sweeps no budgets and compares no list of policies.
  const auto budgets = run_chase(at_slowdown_of("chase-paper", {"--budgets", "0"}));
  EXPECT_EQ(budgets.exit_code, 2);
  EXPECT_NE(budgets.err.find("--budgets excludes --at-slowdown-of"), std::string::npos) << budgets.err;
}

}  // namespace
}  // namespace chase

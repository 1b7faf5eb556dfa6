#pragma once
// Table-driven bad-input cases for the CLI: each runs chase as a real process and expects the
// contract of every command — exit 2, nothing on stdout, exactly one line on stderr that starts
// with "chase: error: " and contains the expected text.

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace chase::test {

struct BadInput {
  std::vector<std::string> args;
  std::string message;  // expected somewhere in the one stderr line
};

inline void PrintTo(const BadInput& c, std::ostream* os) {
  for (const auto& a : c.args) *os << a << ' ';
}

#ifdef CHASE_BINARY
inline void expect_bad_input_rejected(const BadInput& c) {
  const ProcessResult r = run_chase(c.args);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("chase: error: ", 0), 0u) << r.err;
}
#endif

}  // namespace chase::test

#pragma once
// Runs a real process for end-to-end tests: argv without a shell, optional stdin text,
// captured stdout/stderr and the exit status (or 128 + signal).

#include <map>
#include <string>
#include <vector>

namespace chase::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_text = "",
                          const std::map<std::string, std::string>& extra_env = {});

#ifdef CHASE_BINARY
// The chase binary under test (its path comes from the test target's compile definitions).
inline ProcessResult run_chase(const std::vector<std::string>& args,
                               const std::map<std::string, std::string>& extra_env = {}) {
  std::vector<std::string> argv{CHASE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, "", extra_env);
}
#endif

}  // namespace chase::test

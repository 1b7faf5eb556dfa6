#pragma once
// Runs a real process for end-to-end tests: argv without a shell, optional stdin text,
// captured stdout/stderr and the exit status (or 128 + signal).

#include <sys/types.h>

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

// Starts a process in the background with stdout and stderr sent to files (empty path: inherit)
// and returns its pid; the caller waits for it (waitpid) and may signal it.
pid_t start_process(const std::vector<std::string>& argv, const std::string& stdout_path,
                    const std::string& stderr_path = "", const std::map<std::string, std::string>& extra_env = {});

#ifdef CHASE_BINARY
// The chase binary under test (its path comes from the test target's compile definitions).
inline ProcessResult run_chase(const std::vector<std::string>& args,
                               const std::map<std::string, std::string>& extra_env = {}) {
  std::vector<std::string> argv{CHASE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, "", extra_env);
}

inline pid_t start_chase(const std::vector<std::string>& args, const std::string& stdout_path,
                         const std::string& stderr_path = "", const std::map<std::string, std::string>& extra_env = {}) {
  std::vector<std::string> argv{CHASE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return start_process(argv, stdout_path, stderr_path, extra_env);
}
#endif

}  // namespace chase::test

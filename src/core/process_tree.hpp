#pragma once
// The processes a command leaves behind when it exits: a launcher's workers, `nohup` or `&`
// jobs, double-forked daemons. While chase runs a command it is a child subreaper
// (prctl PR_SET_CHILD_SUBREAPER, Linux 3.4+): a process of the command's tree whose parent
// ends is re-parented to chase instead of init, so chase can count, signal, wait for and reap
// the whole tree. The tree is read from /proc (each process's parent, process group, state).

#include <sys/types.h>

#include <filesystem>
#include <vector>

namespace chase {

// Makes the calling process a child subreaper while it lives, then restores what it was.
// Throws Error when the kernel refuses (not Linux, or before 3.4).
class SubreaperScope {
 public:
  SubreaperScope();
  ~SubreaperScope();
  SubreaperScope(const SubreaperScope&) = delete;
  SubreaperScope& operator=(const SubreaperScope&) = delete;

 private:
  int previous_ = 0;
};

struct ProcessEntry {
  pid_t pid = 0;
  pid_t parent = 0;
  pid_t group = 0;   // process group
  char state = '?';  // as /proc/<pid>/stat says: R, S, D, Z (ended, not yet reaped), ...
  bool ended() const { return state == 'Z' || state == 'X'; }
};

// Every process visible in `proc_root`, from /proc/<pid>/stat; a process that ends while it is
// read is left out. Throws Error when `proc_root` cannot be listed.
std::vector<ProcessEntry> read_process_table(const std::filesystem::path& proc_root = "/proc");

// The pids of `parent`'s children in `table`.
std::vector<pid_t> children_of(pid_t parent, const std::vector<ProcessEntry>& table);

// Every descendant of `root` in `table` (children, theirs, ...), ended ones included, leaving
// out the children in `excluded` and their subtrees.
std::vector<ProcessEntry> descendants_of(pid_t root, const std::vector<ProcessEntry>& table,
                                         const std::vector<pid_t>& excluded = {});

}  // namespace chase

#pragma once
// "Did you mean": the known names closest to a name that matched none, for error messages.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chase {

// Lower-case ASCII, outer blanks trimmed, inner runs of blanks as one space: how names compare
// when case and spacing should not matter.
std::string fold_name(std::string_view name);

// Edit distance (insertions, deletions, substitutions) of two strings, byte by byte.
std::size_t edit_distance(std::string_view a, std::string_view b);

struct CloseMatch {
  std::size_t index = 0;  // into the candidates
  bool prefix = false;    // the query begins the candidate
  std::size_t distance = 0;
};

// Candidates (already folded) that begin with the folded query (3 characters or more), or are
// within an edit distance of a third of its length and less than half their own: prefixes
// first, then by distance, then in the candidates' order.
std::vector<CloseMatch> close_matches(std::string_view query, const std::vector<std::string>& folded_candidates);

}  // namespace chase

#include "core/close_matches.hpp"

#include <algorithm>
#include <cctype>

namespace chase {

std::string fold_name(std::string_view name) {
  std::string out;
  bool blank = false;
  for (const char c : name) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      blank = !out.empty();
      continue;
    }
    if (blank) out.push_back(' ');
    blank = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<CloseMatch> close_matches(std::string_view query, const std::vector<std::string>& folded_candidates) {
  const std::string q = fold_name(query);
  const std::size_t most = std::max<std::size_t>(1, q.size() / 3);
  std::vector<CloseMatch> out;
  for (std::size_t i = 0; i < folded_candidates.size(); ++i) {
    const std::string& c = folded_candidates[i];
    if (q.size() >= 3 && c.size() > q.size() && c.compare(0, q.size(), q) == 0) {
      out.push_back({i, true, c.size() - q.size()});
      continue;
    }
    const std::size_t d = edit_distance(q, c);
    if (d > 0 && d <= most && 2 * d < c.size()) out.push_back({i, false, d});
  }
  std::stable_sort(out.begin(), out.end(), [](const CloseMatch& a, const CloseMatch& b) {
    if (a.prefix != b.prefix) return a.prefix;
    return !a.prefix && a.distance < b.distance;
  });
  return out;
}

}  // namespace chase

#include "core/text_list.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace chase {

std::vector<std::string> split_list(std::string_view text, char separator, EmptyItems empty) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (true) {
    const std::size_t at = text.find(separator, from);
    const std::string_view item = text.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from);
    if (!item.empty() || empty == EmptyItems::kKeep) out.emplace_back(item);
    if (at == std::string_view::npos) return out;
    from = at + 1;
  }
}

void refuse_repeated_items(const std::vector<std::string>& items) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (std::find(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(i), items[i]) != items.begin() + static_cast<std::ptrdiff_t>(i)) {
      throw InputError(fmt::format("'{}' is listed twice", items[i]));
    }
  }
}

}  // namespace chase

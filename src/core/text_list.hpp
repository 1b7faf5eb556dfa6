#pragma once
// Comma-separated lists as flags give them ("gb-2020,fr-2020", "0,0.025,0.05").

#include <string>
#include <string_view>
#include <vector>

namespace chase {

// Whether an empty item ("a,,b", a trailing comma, an empty text) is kept as "" or left out.
// Keep them where an empty item must be reported as a mistake (a list of numbers); drop them
// where a stray comma is harmless (a list of names).
enum class EmptyItems { kKeep, kDrop };

// The items between separators, in order, untrimmed. "" is {""} with kKeep and {} with kDrop.
std::vector<std::string> split_list(std::string_view text, char separator, EmptyItems empty);

// Refuses a list that names an item twice ("0,0", "gb-2020,gb-2020"): every list a flag takes
// is a set (budgets, policies, traces, profiles, regions, devices), and a repeat would only
// print the same rows twice or count the same thing twice. Throws InputError "'x' is listed
// twice".
void refuse_repeated_items(const std::vector<std::string>& items);

}  // namespace chase

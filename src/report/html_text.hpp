#pragma once
// Text put into an HTML page: every string escaped (element text and attribute values alike),
// and numbers that are not finite written as the undefined-number dash, never "nan" or "inf".

#include <string>
#include <string_view>

namespace chase {

// & < > " ' as character references; every other byte as it is (UTF-8 passes through).
std::string html_escape(std::string_view text);

// `value` with `decimals` after the point, or "—" when it is not a finite number.
std::string html_number(double value, int decimals);

}  // namespace chase

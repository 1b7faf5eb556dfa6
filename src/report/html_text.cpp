#include "report/html_text.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/quantity_format.hpp"

namespace chase {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string html_number(double value, int decimals) {
  if (!std::isfinite(value)) return kUndefinedNumber;
  const std::string text = fmt::format("{:.{}f}", value, decimals);
  return text == fmt::format("-{:.{}f}", 0.0, decimals) ? text.substr(1) : text;
}

}  // namespace chase

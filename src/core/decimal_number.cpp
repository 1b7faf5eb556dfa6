#include "core/decimal_number.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "core/number_parse.hpp"

namespace chase {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// sign? [0-9.,]+ ([eE] sign? digits)?
struct Shape {
  std::string_view sign;
  std::string_view mantissa;
  std::string_view exponent;  // with its 'e'
};

std::optional<Shape> shape_of(std::string_view t) {
  Shape s;
  std::size_t pos = 0;
  if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) s.sign = t.substr(pos++, 1);
  const std::size_t from = pos;
  while (pos < t.size() && (is_digit(t[pos]) || t[pos] == '.' || t[pos] == ',')) ++pos;
  s.mantissa = t.substr(from, pos - from);
  if (std::none_of(s.mantissa.begin(), s.mantissa.end(), is_digit)) return std::nullopt;
  if (pos < t.size() && (t[pos] == 'e' || t[pos] == 'E')) {
    const std::size_t e = pos++;
    if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) ++pos;
    const std::size_t digits = pos;
    while (pos < t.size() && is_digit(t[pos])) ++pos;
    if (pos == digits) return std::nullopt;
    s.exponent = t.substr(e, pos - e);
  }
  if (pos != t.size()) return std::nullopt;
  return s;
}

// "1,234,567": a first group of 1-3 digits, then groups of exactly 3 after each separator.
bool valid_groups(std::string_view whole, char separator) {
  std::size_t start = 0;
  bool first = true;
  while (true) {
    const auto next = whole.find(separator, start);
    const auto group = whole.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start);
    if (group.empty() || !std::all_of(group.begin(), group.end(), is_digit)) return false;
    if (first ? group.size() > 3 : group.size() != 3) return false;
    if (next == std::string_view::npos) return true;
    first = false;
    start = next + 1;
  }
}

// One mark once, with 1-3 digits before it (not a lone 0) and exactly 3 after: "1.234" is a
// decimal, or a thousands group.
bool ambiguous_single_mark(std::string_view mantissa, char mark) {
  const auto at = mantissa.find(mark);
  if (at == std::string_view::npos || std::count(mantissa.begin(), mantissa.end(), mark) != 1) return false;
  const auto before = mantissa.substr(0, at), after = mantissa.substr(at + 1);
  return !before.empty() && before.size() <= 3 && before != "0" && after.size() == 3;
}

bool is_non_finite_word(std::string_view t) {
  std::string lower;
  for (char c : t) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!lower.empty() && (lower.front() == '+' || lower.front() == '-')) lower.erase(0, 1);
  return lower == "nan" || lower == "inf" || lower == "infinity" || lower == "1.#inf" || lower == "1.#qnan";
}

NumberReading refuse(std::string problem) {
  NumberReading r;
  r.problem = std::move(problem);
  return r;
}

}  // namespace

char mark_char(DecimalMark mark) { return mark == DecimalMark::point ? '.' : ','; }

std::optional<DecimalMark> decimal_mark_evidence(std::string_view cell) {
  const auto shape = shape_of(trim(cell));
  if (!shape) return std::nullopt;
  const std::string_view m = shape->mantissa;
  const auto points = std::count(m.begin(), m.end(), '.'), commas = std::count(m.begin(), m.end(), ',');
  if (points > 0 && commas > 0) return m.find_last_of(".,") == m.rfind('.') ? DecimalMark::point : DecimalMark::comma;
  if (points > 1) return DecimalMark::comma;  // "1.234.567": '.' separates thousands
  if (commas > 1) return DecimalMark::point;
  if (points == 1 && (!shape->exponent.empty() || !ambiguous_single_mark(m, '.'))) return DecimalMark::point;
  if (commas == 1 && (!shape->exponent.empty() || !ambiguous_single_mark(m, ','))) return DecimalMark::comma;
  return std::nullopt;
}

NumberReading read_number(std::string_view cell, NumberStyle style) {
  const std::string_view t = trim(cell);
  if (t.empty()) return refuse("is empty");
  if (is_non_finite_word(t)) return refuse("is not a finite number");
  if (t.front() == '#') return refuse("is a spreadsheet error value, not a number");
  const auto shape = shape_of(t);
  if (!shape) return refuse("is not a number");

  const char dec = mark_char(style.decimal);
  const char sep = style.decimal == DecimalMark::point ? ',' : '.';
  const std::string_view m = shape->mantissa;
  const auto dec_at = m.find(dec);
  if (dec_at != std::string_view::npos && m.find(dec, dec_at + 1) != std::string_view::npos) {
    return refuse(fmt::format("is not a number: '{}' is this file's decimal mark and appears twice", dec));
  }
  const std::string_view whole = m.substr(0, dec_at), fraction = dec_at == std::string_view::npos ? "" : m.substr(dec_at + 1);
  if (fraction.find(sep) != std::string_view::npos) {
    return refuse(fmt::format("is not a number in this file's style (decimal mark '{}', thousands '{}')", dec, sep));
  }
  const bool grouped = whole.find(sep) != std::string_view::npos;
  if (grouped && !valid_groups(whole, sep)) {
    return refuse(fmt::format("has a '{}' that is neither this file's decimal mark '{}' nor a thousands separator "
                              "between groups of three digits",
                              sep, dec));
  }
  if (style.certainty != MarkCertainty::proven && !decimal_mark_evidence(t)) {
    // A lone "1,234" or "1.234" whose mark no other cell settles.
    const char mark = grouped ? sep : dec;
    const bool settled = style.certainty == MarkCertainty::convention && mark == dec;
    if ((grouped || dec_at != std::string_view::npos) && !settled) {
      return refuse(fmt::format("is ambiguous: '{}' may be a decimal mark or a thousands separator, and no other "
                                "number in the file says which",
                                mark));
    }
  }
  if (style.certainty != MarkCertainty::proven) {
    if (auto evidence = decimal_mark_evidence(t); evidence && *evidence != style.decimal) {
      return refuse(fmt::format("has a decimal '{}', but this file's decimal mark is '{}'", mark_char(*evidence), dec));
    }
  }

  std::string plain(shape->sign == "-" ? "-" : "");
  for (char c : whole) {
    if (c != sep) plain += c;
  }
  if (plain.empty() || plain == "-") plain += '0';
  if (dec_at != std::string_view::npos) {
    plain += '.';  // appended in two steps: GCC 12 -O3 warns falsely on "." + std::string (-Wrestrict)
    plain += fraction;
  }
  plain += shape->exponent;
  double value = 0;
  const auto [end, ec] = std::from_chars(plain.data(), plain.data() + plain.size(), value);
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && !std::isfinite(value))) {
    return refuse("is not a finite number (too large)");
  }
  if (ec != std::errc() || end != plain.data() + plain.size()) return refuse("is not a number");
  NumberReading r;
  r.value = value;
  return r;
}

}  // namespace chase

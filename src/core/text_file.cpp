#include "core/text_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>

#include "core/error.hpp"

namespace chase {
namespace {

constexpr std::size_t kExcerptChars = 60;

unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

// The length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates,
// nothing past U+10FFFF), or 0 when the bytes there are not UTF-8.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const unsigned char c = byte_at(s, i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte_at(s, i + 1) < lo || byte_at(s, i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte_at(s, i + k) < 0x80 || byte_at(s, i + k) > 0xBF) return 0;
  }
  return n;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The 1-based line of text[pos], counting LF, CRLF and lone CR as one line end each.
std::size_t line_of(std::string_view text, std::size_t pos) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line;
  }
  return line;
}

// The whole line that holds text[pos], without its line end.
std::string_view line_around(std::string_view text, std::size_t pos) {
  const auto before = text.find_last_of("\r\n", pos == 0 ? 0 : pos - 1);
  const std::size_t from = (pos == 0 || before == std::string_view::npos) ? 0 : before + 1;
  const auto after = text.find_first_of("\r\n", pos);
  return text.substr(from, (after == std::string_view::npos ? text.size() : after) - from);
}

std::string decode_utf16(std::string_view bytes, bool little_endian, const std::string& source) {
  const char* order = little_endian ? "little-endian" : "big-endian";
  if (bytes.size() % 2 != 0) {
    throw ParseError(source, fmt::format("is UTF-16 ({}, from its byte-order mark) but has an odd number of bytes: "
                                         "the file is cut short",
                                         order));
  }
  auto unit = [&](std::size_t i) -> std::uint32_t {
    const std::uint32_t a = byte_at(bytes, i), b = byte_at(bytes, i + 1);
    return little_endian ? (a | (b << 8)) : ((a << 8) | b);
  };
  std::string out;
  out.reserve(bytes.size() / 2);
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    std::uint32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      const bool paired = cp <= 0xDBFF && i + 3 < bytes.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) <= 0xDFFF;
      if (!paired) {
        throw ParseError(source, line_of(out, out.size()),
                         fmt::format("an unpaired UTF-16 surrogate 0x{:04X}: the file is damaged", cp));
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
      i += 2;
    }
    append_utf8(out, cp);
  }
  return out;
}

// UTF-16 written without a byte-order mark: in ASCII-heavy text every other byte is NUL.
std::optional<bool> utf16_without_bom(std::string_view bytes) {
  const std::size_t n = std::min<std::size_t>(bytes.size() & ~std::size_t{1}, 256);
  std::size_t even_nuls = 0, odd_nuls = 0;
  for (std::size_t i = 0; i < n; ++i) (i % 2 == 0 ? even_nuls : odd_nuls) += bytes[i] == '\0' ? 1 : 0;
  // Nine in ten of the high bytes NUL, none of the low ones: "t\0i\0m\0e\0" (little-endian).
  if (n < 4) return std::nullopt;
  if (even_nuls == 0 && odd_nuls * 10 >= n / 2 * 9) return true;
  if (odd_nuls == 0 && even_nuls * 10 >= n / 2 * 9) return false;
  return std::nullopt;
}

}  // namespace

std::string_view encoding_name(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::utf8: return "UTF-8";
    case TextEncoding::utf8_bom: return "UTF-8 with BOM";
    case TextEncoding::utf16le: return "UTF-16 LE";
    case TextEncoding::utf16be: return "UTF-16 BE";
  }
  return "UTF-8";
}

std::string quoted_excerpt(std::string_view text) {
  std::string out = "\"";
  std::size_t shown = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (shown == kExcerptChars) {
      out += "...";
      break;
    }
    const unsigned char c = byte_at(text, i);
    const std::size_t n = utf8_length(text, i);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\t') {
      out += "\\t";
    } else if (n == 0 || c < 0x20 || c == 0x7F) {
      out += fmt::format("\\x{:02X}", c);
    } else {
      out.append(text.substr(i, n));
      i += n;
      ++shown;
      continue;
    }
    ++i;
    ++shown;
  }
  return out + "\"";
}

DecodedText decode_text(std::string_view bytes, const std::string& source, QuoteContent quote) {
  DecodedText result;
  if (bytes.starts_with("PK\x03\x04")) {
    throw ParseError(source, "is a ZIP archive (an .xlsx or .ods workbook?), not a text file: "
                             "export the sheet as CSV (UTF-8)");
  }
  if (bytes.starts_with("\x1F\x8B")) throw ParseError(source, "is gzip-compressed, not a text file: decompress it first");
  if (bytes.starts_with(std::string_view("\xFF\xFE\x00\x00", 4)) ||
      bytes.starts_with(std::string_view("\x00\x00\xFE\xFF", 4))) {
    throw ParseError(source, "is UTF-32 text, which chase does not read: save it as UTF-8");
  }

  std::string utf16_decoded;
  std::string_view utf8 = bytes;
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    result.encoding = TextEncoding::utf8_bom;
    utf8.remove_prefix(3);
  } else if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    const bool le = bytes[0] == '\xFF';
    result.encoding = le ? TextEncoding::utf16le : TextEncoding::utf16be;
    utf16_decoded = decode_utf16(bytes.substr(2), le, source);
    utf8 = utf16_decoded;
  } else if (bytes.find('\0') != std::string_view::npos) {
    if (auto le = utf16_without_bom(bytes)) {
      throw ParseError(source, fmt::format("looks like UTF-16 ({}) text without a byte-order mark: save it as UTF-8",
                                           *le ? "little-endian" : "big-endian"));
    }
  }

  // Binary first: a PNG or an executable also holds bytes that are not UTF-8, and "looks like a
  // binary file" is the truer message than "save it as UTF-8".
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = byte_at(utf8, i);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && !(c == 0x1A && i + 1 == utf8.size())) || c == 0x7F) {
      throw ParseError(source, line_of(utf8, i),
                       c == 0 ? std::string("looks like a binary file, not text: a NUL byte")
                              : fmt::format("looks like a binary file, not text: control byte 0x{:02X}", c));
    }
  }

  std::string& out = result.text;
  out.reserve(utf8.size());
  std::size_t line = 1;
  for (std::size_t i = 0; i < utf8.size();) {
    const unsigned char c = byte_at(utf8, i);
    if (c == '\r' || c == '\n') {
      out += '\n';
      ++line;
      i += (c == '\r' && i + 1 < utf8.size() && utf8[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    if (c == 0x1A) break;  // a DOS end-of-file mark, the last byte of old exports (checked above)
    const std::size_t n = utf8_length(utf8, i);
    if (n == 0) {
      if (quote == QuoteContent::no) {
        throw ParseError(source, line, "is not UTF-8 text (a legacy code page?): save the file as UTF-8");
      }
      throw ParseError(source, line,
                       fmt::format("byte 0x{:02X} is not UTF-8, in {}: the file is in a legacy code page "
                                   "(Latin-1, Windows-1252, Mac Roman?); save it as UTF-8",
                                   c, quoted_excerpt(line_around(utf8, i))));
    }
    if (utf8.substr(i, n) == "\xEF\xBB\xBF") {
      throw ParseError(source, line, "a byte-order mark (U+FEFF) inside the text: were two files joined?");
    }
    out.append(utf8.substr(i, n));
    i += n;
  }
  return result;
}

}  // namespace chase

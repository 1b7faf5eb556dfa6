#include "core/error.hpp"

#include <fmt/format.h>

namespace chase {

ParseError::ParseError(const std::string& source, std::size_t line, std::size_t column,
                       const std::string& what)
    : InputError(fmt::format("{}:{}:{}: {}", source, line, column, what)),
      source_(source),
      line_(line),
      column_(column) {}

ParseError::ParseError(const std::string& source, std::size_t line, const std::string& what)
    : InputError(fmt::format("{}:{}: {}", source, line, what)), source_(source), line_(line) {}

ParseError::ParseError(const std::string& source, const std::string& what)
    : InputError(fmt::format("{}: {}", source, what)), source_(source) {}

}  // namespace chase

#pragma once
// The error types of the library. Messages name what was wrong and where (file, line, field,
// value); the CLI prints what() as one line. InputError means the user can fix it (exit 2).

#include <stdexcept>
#include <string>

namespace chase {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad user input: a flag, a value, a file's content.
class InputError : public Error {
 public:
  using Error::Error;
};

// A file (or text) that does not parse; the message leads with "source:line:column: ".
class ParseError : public InputError {
 public:
  ParseError(const std::string& source, std::size_t line, std::size_t column, const std::string& what);
  ParseError(const std::string& source, std::size_t line, const std::string& what);
  ParseError(const std::string& source, const std::string& what);

  const std::string& source() const { return source_; }
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }

 private:
  std::string source_;
  std::size_t line_ = 0;
  std::size_t column_ = 0;
};

// A device, driver or sysfs file that does not behave.
class HardwareError : public Error {
 public:
  using Error::Error;
};

// The operation needs a privilege the process lacks (e.g. setting a GPU power limit).
class PermissionError : public HardwareError {
 public:
  using HardwareError::HardwareError;
};

// A remote service failed or answered something unusable.
class NetworkError : public Error {
 public:
  using Error::Error;
};

}  // namespace chase

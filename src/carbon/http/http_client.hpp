#pragma once
// The network seam: live providers talk HTTP through this interface, so tests and offline runs
// swap the transport without touching provider code. Requests never carry secrets in the URL
// (keys go in headers), so a URL may appear in an error message.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/units.hpp"

namespace chase {

struct HttpRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  // HTTP basic authentication (user, password), e.g. WattTime's login.
  std::optional<std::pair<std::string, std::string>> basic_auth;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::optional<Duration> retry_after;  // from a Retry-After header in seconds
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Returns the final response (any status) after the client's retries; throws NetworkError
  // when no response arrived at all (connection refused, timeout, DNS).
  virtual HttpResponse get(const HttpRequest& request) = 0;
};

}  // namespace chase

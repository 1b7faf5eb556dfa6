#pragma once
// The network seam: live providers talk HTTP through this interface, so tests and offline runs
// swap the transport without touching provider code. Requests never carry secrets in the URL
// (keys go in headers), so a URL may appear in an error message.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/utc_time.hpp"

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
  // A Retry-After header as the server sent it ("3600", "Sun, 06 Nov 1994 08:49:37 GMT"), and
  // the time it names on the client's clock, resolved when the answer arrived (nullopt when
  // absent or unreadable; see retry_after.hpp).
  std::optional<std::string> retry_after;
  std::optional<UtcTime> retry_not_before;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Returns the final response (any status) after the client's retries; throws NetworkError
  // when no response arrived at all (connection refused, timeout, DNS). A response whose
  // retry_not_before lies beyond what the client will wait comes back at once, unretried: the
  // caller must not ask that service again before then.
  virtual HttpResponse get(const HttpRequest& request) = 0;
};

}  // namespace chase

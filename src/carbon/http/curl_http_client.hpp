#pragma once
// HttpClient over libcurl: per-request timeouts, and retries with exponential backoff for
// what may pass (no response, 429 Too Many Requests, 5xx). A Retry-After (seconds or an
// HTTP-date, on any of those statuses) replaces the backoff when it fits in what is left of
// `longest_wait`; when it does not, the client stops at once (no second request) and returns
// the response, whose retry_not_before tells the caller when it may ask again. Waits go
// through the Clock seam, so tests run on virtual time.

#include "carbon/http/http_client.hpp"
#include "core/clock.hpp"
#include "core/units.hpp"

namespace chase {

struct RetryPolicy {
  int attempts = 4;                                 // in all, including the first
  Duration first_backoff = Duration::seconds(0.5);  // doubled after each failure
  // The most one get() waits in all between its attempts (backoffs and Retry-After). 30 s: a
  // reading is worth a short wait, but `chase measure -- true` must not hang on a limited API.
  Duration longest_wait = Duration::seconds(30);
  Duration timeout = Duration::seconds(10);         // whole request
  Duration connect_timeout = Duration::seconds(5);
};

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient(RetryPolicy policy, Clock& clock);
  HttpResponse get(const HttpRequest& request) override;

  // Attempts made by the last get() (for tests and logs).
  int last_attempts() const { return last_attempts_; }

 private:
  HttpResponse get_once(const HttpRequest& request);

  RetryPolicy policy_;
  Clock& clock_;
  int last_attempts_ = 0;
};

}  // namespace chase

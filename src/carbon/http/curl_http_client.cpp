#include "carbon/http/curl_http_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include "carbon/http/retry_after.hpp"
#include "core/error.hpp"
#include "core/number_parse.hpp"

namespace chase {
namespace {

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// Keeps the Retry-After header of the final response (a redirect's own headers come first, each
// set opened by its status line, so a new status line forgets what came before).
std::size_t read_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string_view line(data, size * count);
  auto& response = *static_cast<HttpResponse*>(user);
  if (line.rfind("HTTP/", 0) == 0) response.retry_after.reset();
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == kName) response.retry_after = std::string(trim(line.substr(kName.size())));
  }
  return size * count;
}

// A failure no retry can mend: the URL itself is wrong for libcurl.
class UnusableUrl : public NetworkError {
 public:
  using NetworkError::NetworkError;
};

bool permanent(CURLcode code) { return code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL; }

// What may pass: rate limiting and server-side trouble (503 Service Unavailable among them).
bool worth_retrying(long status) { return status == 429 || status >= 500; }

}  // namespace

CurlHttpClient::CurlHttpClient(RetryPolicy policy, Clock& clock) : policy_(policy), clock_(clock) { init_curl_once(); }

HttpResponse CurlHttpClient::get_once(const HttpRequest& request) {
  const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw NetworkError("libcurl: cannot create a handle");
  HttpResponse response;
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
  const std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, &curl_slist_free_all);
  char error_text[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, read_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(policy_.timeout.milliseconds()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(policy_.connect_timeout.milliseconds()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  // A request that carries a key in a header (Electricity Maps' auth-token) follows no
  // redirect: libcurl would send the header to whatever host the Location names. The 3xx comes
  // back as an error status instead. Basic auth (WattTime's login) is not resent by libcurl.
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, request.headers.empty() ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "chase/0.1");
  if (request.basic_auth) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, request.basic_auth->first.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, request.basic_auth->second.c_str());
  }
  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    std::string message =
        fmt::format("GET {}: {}", request.url, error_text[0] != '\0' ? error_text : curl_easy_strerror(code));
    if (permanent(code)) throw UnusableUrl(std::move(message) + " (not retried: the URL cannot be fetched)");
    throw NetworkError(std::move(message));
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  if (response.retry_after) response.retry_not_before = retry_after_time(*response.retry_after, clock_.now());
  return response;
}

HttpResponse CurlHttpClient::get(const HttpRequest& request) {
  Duration backoff = policy_.first_backoff;
  Duration waited = Duration::seconds(0);
  const int attempts = std::max(1, policy_.attempts);
  for (int attempt = 1;; ++attempt) {
    last_attempts_ = attempt;
    std::optional<HttpResponse> response;
    std::string failure;
    try {
      response = get_once(request);
    } catch (const UnusableUrl&) {
      throw;
    } catch (const NetworkError& e) {
      failure = e.what();
    }
    const auto give_up = [&] {
      if (response) return *response;
      throw NetworkError(fmt::format("{} (after {} attempts)", failure, attempt));
    };
    if (response && !worth_retrying(response->status)) return *response;
    if (attempt >= attempts) return give_up();
    // The server's own time when it names one (asking sooner would be refused again), else the
    // backoff; a wait beyond what is left of this call's patience ends the retries now, and the
    // response carries the server's time back to the caller, who holds off until then.
    Duration wait = backoff;
    if (response && response->retry_not_before) {
      wait = std::max(Duration::seconds(0), *response->retry_not_before - clock_.now());
    }
    if (wait > policy_.longest_wait - waited) return give_up();
    clock_.sleep_for(wait);
    waited = waited + wait;
    backoff = backoff * 2.0;
  }
}

}  // namespace chase

#include "carbon/live/provider_http.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "carbon/live/intensity_provider.hpp"
#include "core/json_fields.hpp"

namespace chase {
namespace {

std::string path_of(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

std::string redacted(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), "***");
    }
  }
  return text;
}

std::string status_text(long status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "";
  }
}

}  // namespace

HttpResponse fetch_for_provider(HttpClient& http, const HttpRequest& request, const std::string& provider,
                                const std::vector<std::string>& secrets) {
  try {
    return http.get(request);
  } catch (const NetworkError& e) {
    throw NetworkError(provider + ": " + redacted(e.what(), secrets));
  }
}

nlohmann::json provider_json(const HttpResponse& response, const std::string& url, const std::string& provider,
                             const std::vector<std::string>& secrets) {
  const std::string path = redacted(path_of(url), secrets);
  if (response.status != 200) {
    std::string snippet = redacted(response.body.substr(0, 160), secrets);
    std::replace(snippet.begin(), snippet.end(), '\n', ' ');
    std::string hint;
    if (response.status == 401 || response.status == 403) hint = " (check the API key or credentials)";
    if (response.status == 429) hint = " (rate limited; gave up after the retries)";
    if (response.retry_not_before) {
      hint = fmt::format(" (Retry-After: {}; not asked again before {})", redacted(response.retry_after.value_or(""), secrets),
                         response.retry_not_before->iso8601());
    }
    const std::string message = fmt::format("{}: HTTP {} {} from {}{}{}", provider, response.status,
                                            status_text(response.status), path, hint, snippet.empty() ? "" : ": " + snippet);
    // The service named its time: every later fetch of this provider waits for it (LiveSource).
    if (response.retry_not_before) throw ProviderHoldOff(message, *response.retry_not_before);
    throw NetworkError(message);
  }
  return reading_response(provider, [&] { return parse_json(response.body, "answer to " + path); });
}

nlohmann::json get_provider_json(HttpClient& http, const HttpRequest& request, const std::string& provider,
                                 const std::vector<std::string>& secrets) {
  return provider_json(fetch_for_provider(http, request, provider, secrets), request.url, provider, secrets);
}

std::string query_escape(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

UtcTime response_time(const nlohmann::json& object, std::string_view field, const std::string& where) {
  const std::string text = require_string(object, field, where);
  if (auto t = UtcTime::parse_iso8601(text)) return *t;
  throw NetworkError(fmt::format("{}: field '{}' is not an ISO 8601 time: '{}'", where, field, text));
}

}  // namespace chase

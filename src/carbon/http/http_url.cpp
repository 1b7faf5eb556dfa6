#include "carbon/http/http_url.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "core/number_parse.hpp"

namespace chase {
namespace {

using UrlHandle = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

// One part of a parsed URL; nullopt where the URL has none.
std::optional<std::string> part(CURLU* url, CURLUPart which) {
  char* text = nullptr;
  if (curl_url_get(url, which, &text, 0) != CURLUE_OK || text == nullptr) return std::nullopt;
  std::string out(text);
  curl_free(text);
  return out;
}

std::string parse_problem(CURLUcode code) {
#if LIBCURL_VERSION_NUM >= 0x075000  // curl_url_strerror: 7.80
  return curl_url_strerror(code);
#else
  return fmt::format("libcurl URL error {}", static_cast<int>(code));
#endif
}

}  // namespace

std::string http_url_problem(std::string_view url) {
  const std::string text(url);
  const std::string prefix = "is not a usable http(s) URL: ";
  const UrlHandle handle(curl_url(), &curl_url_cleanup);
  if (!handle) return prefix + "out of memory";
  if (const CURLUcode code = curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0); code != CURLUE_OK) {
    return prefix + parse_problem(code);
  }
  const std::optional<std::string> scheme = part(handle.get(), CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https") return prefix + "the scheme is not http or https";
  // libcurl reads "http:///x" as host x; a slash where the host belongs is a typo all the same.
  const std::size_t host_at = text.find("://") + 3;
  const std::optional<std::string> host = part(handle.get(), CURLUPART_HOST);
  if (!host || host->empty() || text.size() <= host_at || text[host_at] == '/') return prefix + "no host";
  if (const std::optional<std::string> port = part(handle.get(), CURLUPART_PORT)) {
    const auto number = parse_int(*port);
    if (!number || *number < 1 || *number > 65535) return prefix + fmt::format("port {} is not in 1 to 65535", *port);
  }
  return {};
}

}  // namespace chase

#pragma once
// Whether a URL is one the HTTP client can fetch, decided by libcurl's own URL parser (the
// client is libcurl, so what it parses is what it will ask): a scheme of http or https, a host
// (an IPv6 address closed by its bracket, no spaces), and a port, when given, in 1..65535.

#include <string>
#include <string_view>

namespace chase {

// Empty when `url` can be fetched, else why not, to follow "'<url>' ", e.g.
// "is not a usable http(s) URL: Port number was not a decimal number between 0 and 65535".
std::string http_url_problem(std::string_view url);

}  // namespace chase

#pragma once
// What every live provider does with HTTP: GET a JSON document and turn each way it can fail
// into one NetworkError that names the provider, the status and the path, and never the key
// (a ProviderHoldOff when the answer carried a Retry-After: the time goes with the error).

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "carbon/http/http_client.hpp"
#include "core/utc_time.hpp"

namespace chase {

// `secrets` are blanked out of any text quoted from the response.
nlohmann::json get_provider_json(HttpClient& http, const HttpRequest& request, const std::string& provider,
                                 const std::vector<std::string>& secrets);
// The two halves of get_provider_json: the transport (NetworkError prefixed with the provider),
// and the status check and parse of one response.
HttpResponse fetch_for_provider(HttpClient& http, const HttpRequest& request, const std::string& provider,
                                const std::vector<std::string>& secrets);
nlohmann::json provider_json(const HttpResponse& response, const std::string& url, const std::string& provider,
                             const std::vector<std::string>& secrets);

// Runs fn (which reads fields of a response) and turns an InputError (missing field, wrong type)
// into a NetworkError "<provider>: <what>": a bad answer is the service's fault, not the user's.
template <class Fn>
decltype(auto) reading_response(const std::string& provider, Fn&& fn);

// Percent-encodes a query value.
std::string query_escape(std::string_view text);

// ISO 8601 time in a response field; NetworkError naming the field when it does not parse.
UtcTime response_time(const nlohmann::json& object, std::string_view field, const std::string& where);

}  // namespace chase

#include "core/error.hpp"

namespace chase {

template <class Fn>
decltype(auto) reading_response(const std::string& provider, Fn&& fn) {
  try {
    return fn();
  } catch (const NetworkError&) {
    throw;
  } catch (const InputError& e) {
    throw NetworkError(provider + ": " + e.what());
  }
}

}  // namespace chase

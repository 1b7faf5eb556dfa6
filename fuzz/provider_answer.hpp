#pragma once
// A live provider's answers from the fuzzer: the first byte picks the call (latest, history,
// forecast) and, with its top bit, an HTTP error status instead of 200; the rest is the body
// every data request gets. Logins (WattTime) get a valid token, so the data answer is reached.
// Points that break the IntensityProvider contract (an empty or reversed interval, an intensity
// that is negative or not finite) abort, as a crash would.

#include <cstddef>
#include <cstdint>
#include <string>

namespace chase::fuzz {

// Builds `provider` with credentials in its environment variables, asks it one call whose
// answer is the input, and lets only chase::Error out.
void ask_provider(const std::string& provider, const std::uint8_t* data, std::size_t size);

}  // namespace chase::fuzz

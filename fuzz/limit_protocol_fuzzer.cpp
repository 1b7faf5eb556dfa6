// chased's outside text. The first byte picks: 0 — the bytes a client sends, cut into messages
// by the MessageReader and each decoded as a request (what the daemon does with every
// connection); 1 — the same as responses (what a client reads from a socket that may not be
// chased); 2 — its TOML access policy (limits/access_policy.hpp). Only chase::Error may come out.

#include "fuzz_input.hpp"
#include "limits/access_policy.hpp"
#include "limits/limit_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if (data[0] % 3 == 2) {
    chase::fuzz::expecting_chase_errors(
        [&] { (void)chase::AccessPolicy::parse(chase::fuzz::as_text(data + 1, size - 1), "chased.toml"); });
    return 0;
  }
  const bool responses = data[0] % 3 == 1;
  const std::string_view stream = chase::fuzz::as_text(data + 1, size - 1);
  chase::MessageReader reader;
  // In two pieces, as a socket may deliver it.
  const std::size_t half = stream.size() / 2;
  for (const std::string_view piece : {stream.substr(0, half), stream.substr(half)}) {
    reader.append(piece);
    chase::fuzz::expecting_chase_errors([&] {
      while (auto body = reader.next()) {
        chase::fuzz::expecting_chase_errors([&] {
          if (responses) {
            (void)chase::encode_response(chase::decode_response(*body));
          } else {
            (void)chase::encode_request(chase::decode_request(*body));
          }
        });
      }
    });
  }
  // A body on its own, without the framing.
  chase::fuzz::expecting_chase_errors([&] {
    if (responses) {
      (void)chase::decode_response(stream);
    } else {
      (void)chase::decode_request(stream);
    }
  });
  return 0;
}

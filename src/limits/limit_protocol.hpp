#pragma once
// The wire protocol between chased and its clients (chase run, the Python integration): each
// message is a 4-byte big-endian length and that many bytes of one JSON object with a
// "version" field. A client sends a request and reads one response; a connection may carry
// many. The daemon refuses — with a response, never by crashing — a message that is not JSON,
// not an object, of another version, of an unknown op, or with a field of the wrong type; a
// length above kMaxMessageBytes cannot be skipped safely, so it ends the connection after the
// refusal.
//
// Requests: {"version":1,"op":"list"}                       every GPU and who holds it
//           {"version":1,"op":"set","gpu":"0","limit_mw":200000}   gpu: NVML index or UUID
//           {"version":1,"op":"release","gpu":"GPU-…"}      restore the original now, let go
// Responses: {"version":1,"ok":true,"gpus":[{"index":0,"uuid":…,"name":…,"limit_mw":…,
//            "min_mw":…,"max_mw":…,"default_mw":…,"holder":{"pid":…,"uid":…,"since_unix":…}}]}
//            {"version":1,"ok":false,"code":"refused","error":"one line"}

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/units.hpp"
#include "energy/power_device.hpp"

namespace chase {

inline constexpr int kLimitProtocolVersion = 1;
// Far above any real message (a list of 64 GPUs is ~12 KiB), far below memory trouble.
inline constexpr std::size_t kMaxMessageBytes = 64 * 1024;

// A message that breaks the protocol; the daemon answers it with code bad-request.
class ProtocolError : public InputError {
 public:
  using InputError::InputError;
};
// A message of another protocol version (code "version": the peer should upgrade, not retry).
class ProtocolVersionError : public ProtocolError {
 public:
  using ProtocolError::ProtocolError;
};

enum class LimitOp { kList, kSet, kRelease };

struct LimitRequest {
  LimitOp op = LimitOp::kList;
  std::string gpu = {};               // set/release: an NVML index ("0") or a UUID
  std::optional<Power> limit = {};    // set only
};

struct LimitHolder {
  std::int64_t pid = 0;
  std::uint32_t uid = 0;
  std::int64_t since_unix = 0;  // seconds since the epoch the hold began
};

struct GpuLimitInfo {
  unsigned index = 0;
  std::string uuid = {};
  std::string name = {};
  Power limit = {};
  PowerLimitRange range = {};
  Power default_limit = {};
  std::optional<LimitHolder> holder = {};
  // The limits the client that asked may set here (its access rules within `range`); none: it
  // may set none. Older answers without it: none.
  std::optional<PowerLimitRange> allowed = {};
};

// Why a request was not done: bad-request (the message), refused (the access policy), busy
// (another client holds the GPU), unknown-gpu, hardware (NVML failed), version.
enum class LimitErrorCode { kBadRequest, kRefused, kBusy, kUnknownGpu, kHardware, kVersion };
std::string to_string(LimitErrorCode code);

struct LimitResponse {
  bool ok = false;
  LimitErrorCode code = LimitErrorCode::kBadRequest;  // when !ok
  std::string error = {};                             // when !ok: one line
  std::vector<GpuLimitInfo> gpus = {};                 // list: all; set/release: the one GPU

  static LimitResponse failure(LimitErrorCode code, std::string error);
};

// JSON bodies (without the length prefix). decode_* throw ProtocolError naming what is wrong.
std::string encode_request(const LimitRequest& request);
LimitRequest decode_request(std::string_view body);
std::string encode_response(const LimitResponse& response);
LimitResponse decode_response(std::string_view body);

// The 4-byte big-endian length and the body. Throws ProtocolError above kMaxMessageBytes.
std::string frame_message(std::string_view body);

// Cuts a byte stream into message bodies. Throws ProtocolError when a length prefix exceeds
// kMaxMessageBytes (the stream cannot be resynchronised: the connection must end).
class MessageReader {
 public:
  void append(std::string_view bytes) { buffer_.append(bytes); }
  // The next whole body, or nullopt until more bytes arrive.
  std::optional<std::string> next();
  std::size_t buffered() const { return buffer_.size(); }

 private:
  std::string buffer_;
};

}  // namespace chase

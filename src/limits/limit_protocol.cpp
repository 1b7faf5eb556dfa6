#include "limits/limit_protocol.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace chase {
namespace {

using nlohmann::json;

// Text from a peer may be any bytes: replaced, not thrown on, when it is written back.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json parse_object(std::string_view body, std::string_view what) {
  json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw ProtocolError(fmt::format("{}: not JSON", what));
  if (!j.is_object()) throw ProtocolError(fmt::format("{}: not a JSON object", what));
  const auto version = j.find("version");
  if (version == j.end()) throw ProtocolError(fmt::format("{}: no \"version\" field", what));
  if (!version->is_number_integer() || version->get<std::int64_t>() != kLimitProtocolVersion) {
    throw ProtocolVersionError(fmt::format("{}: protocol version {} is not supported (this side speaks {})", what,
                                    dump(*version), kLimitProtocolVersion));
  }
  return j;
}

std::string string_field(const json& j, const char* key, std::string_view what) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) throw ProtocolError(fmt::format("{}: \"{}\" must be a string", what, key));
  return it->get<std::string>();
}

// A count that fits the type; limits are milliwatts, pids and times 64-bit.
template <class Int>
Int integer_field(const json& j, const char* key, std::string_view what) {
  const auto it = j.find(key);
  if (it == j.end() || !(it->is_number_integer())) {
    throw ProtocolError(fmt::format("{}: \"{}\" must be an integer", what, key));
  }
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<Int>::max())) {
      throw ProtocolError(fmt::format("{}: \"{}\" is out of range", what, key));
    }
    return static_cast<Int>(v);
  }
  const auto v = it->get<std::int64_t>();
  if (v < static_cast<std::int64_t>(std::numeric_limits<Int>::min()) ||
      (v > 0 && static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(std::numeric_limits<Int>::max()))) {
    throw ProtocolError(fmt::format("{}: \"{}\" is out of range", what, key));
  }
  return static_cast<Int>(v);
}

// Milliwatts on the wire (NVML's unit): no fractions, no doubt about the unit.
constexpr std::int64_t kMaxMilliwatts = 100'000'000;  // 100 kW: no GPU comes near it

Power milliwatts_field(const json& j, const char* key, std::string_view what) {
  const auto mw = integer_field<std::int64_t>(j, key, what);
  if (mw <= 0 || mw > kMaxMilliwatts) {
    throw ProtocolError(fmt::format("{}: \"{}\" {} is not a power limit in mW (1 to {})", what, key, mw, kMaxMilliwatts));
  }
  return Power::milliwatts(static_cast<double>(mw));
}

std::int64_t as_milliwatts(Power p) { return std::llround(p.watts() * 1000.0); }

json gpu_json(const GpuLimitInfo& g) {
  json j{{"index", g.index},
         {"uuid", g.uuid},
         {"name", g.name},
         {"limit_mw", as_milliwatts(g.limit)},
         {"min_mw", as_milliwatts(g.range.min)},
         {"max_mw", as_milliwatts(g.range.max)},
         {"default_mw", as_milliwatts(g.default_limit)},
         {"holder", nullptr}};
  if (g.holder) j["holder"] = {{"pid", g.holder->pid}, {"uid", g.holder->uid}, {"since_unix", g.holder->since_unix}};
  j["allowed"] = nullptr;
  if (g.allowed) j["allowed"] = {{"min_mw", as_milliwatts(g.allowed->min)}, {"max_mw", as_milliwatts(g.allowed->max)}};
  return j;
}

GpuLimitInfo gpu_from(const json& j, std::string_view what) {
  if (!j.is_object()) throw ProtocolError(fmt::format("{}: a GPU entry is not an object", what));
  GpuLimitInfo g;
  g.index = integer_field<unsigned>(j, "index", what);
  g.uuid = string_field(j, "uuid", what);
  g.name = string_field(j, "name", what);
  g.limit = milliwatts_field(j, "limit_mw", what);
  g.range = {milliwatts_field(j, "min_mw", what), milliwatts_field(j, "max_mw", what)};
  g.default_limit = milliwatts_field(j, "default_mw", what);
  if (const auto h = j.find("holder"); h != j.end() && !h->is_null()) {
    if (!h->is_object()) throw ProtocolError(fmt::format("{}: \"holder\" must be an object or null", what));
    g.holder = LimitHolder{integer_field<std::int64_t>(*h, "pid", what), integer_field<std::uint32_t>(*h, "uid", what),
                           integer_field<std::int64_t>(*h, "since_unix", what)};
  }
  if (const auto a = j.find("allowed"); a != j.end() && !a->is_null()) {
    if (!a->is_object()) throw ProtocolError(fmt::format("{}: \"allowed\" must be an object or null", what));
    g.allowed = PowerLimitRange{milliwatts_field(*a, "min_mw", what), milliwatts_field(*a, "max_mw", what)};
    if (g.allowed->max < g.allowed->min) throw ProtocolError(fmt::format("{}: \"allowed\" has min above max", what));
  }
  return g;
}

constexpr std::pair<LimitErrorCode, const char*> kCodes[] = {
    {LimitErrorCode::kBadRequest, "bad-request"}, {LimitErrorCode::kRefused, "refused"},
    {LimitErrorCode::kBusy, "busy"},              {LimitErrorCode::kUnknownGpu, "unknown-gpu"},
    {LimitErrorCode::kHardware, "hardware"},      {LimitErrorCode::kVersion, "version"}};

}  // namespace

std::string to_string(LimitErrorCode code) {
  for (const auto& [c, name] : kCodes) {
    if (c == code) return name;
  }
  return "bad-request";
}

LimitResponse LimitResponse::failure(LimitErrorCode code, std::string error) {
  LimitResponse r;
  r.ok = false;
  r.code = code;
  r.error = std::move(error);
  return r;
}

std::string encode_request(const LimitRequest& request) {
  json j{{"version", kLimitProtocolVersion}};
  switch (request.op) {
    case LimitOp::kList:
      j["op"] = "list";
      break;
    case LimitOp::kSet:
      j["op"] = "set";
      j["gpu"] = request.gpu;
      j["limit_mw"] = as_milliwatts(request.limit.value_or(Power()));
      break;
    case LimitOp::kRelease:
      j["op"] = "release";
      j["gpu"] = request.gpu;
      break;
  }
  return dump(j);
}

LimitRequest decode_request(std::string_view body) {
  constexpr std::string_view what = "request";
  const json j = parse_object(body, what);
  const std::string op = string_field(j, "op", what);
  LimitRequest r;
  if (op == "list") {
    r.op = LimitOp::kList;
  } else if (op == "set") {
    r.op = LimitOp::kSet;
    r.gpu = string_field(j, "gpu", what);
    r.limit = milliwatts_field(j, "limit_mw", what);
  } else if (op == "release") {
    r.op = LimitOp::kRelease;
    r.gpu = string_field(j, "gpu", what);
  } else {
    throw ProtocolError(fmt::format("request: unknown op {} (known: list, set, release)", dump(json(op))));
  }
  if (r.gpu.size() > 128) throw ProtocolError("request: \"gpu\" is longer than any index or UUID");
  return r;
}

std::string encode_response(const LimitResponse& response) {
  json j{{"version", kLimitProtocolVersion}, {"ok", response.ok}};
  if (!response.ok) {
    j["code"] = to_string(response.code);
    j["error"] = response.error;
  } else {
    json gpus = json::array();
    for (const GpuLimitInfo& g : response.gpus) gpus.push_back(gpu_json(g));
    j["gpus"] = std::move(gpus);
  }
  return dump(j);
}

LimitResponse decode_response(std::string_view body) {
  constexpr std::string_view what = "chased's response";
  const json j = parse_object(body, what);
  const auto ok = j.find("ok");
  if (ok == j.end() || !ok->is_boolean()) throw ProtocolError(fmt::format("{}: \"ok\" must be true or false", what));
  LimitResponse r;
  r.ok = ok->get<bool>();
  if (!r.ok) {
    const std::string code = string_field(j, "code", what);
    r.code = LimitErrorCode::kBadRequest;
    for (const auto& [c, name] : kCodes) {
      if (code == name) r.code = c;
    }
    r.error = string_field(j, "error", what);
    return r;
  }
  const auto gpus = j.find("gpus");
  if (gpus == j.end() || !gpus->is_array()) throw ProtocolError(fmt::format("{}: \"gpus\" must be an array", what));
  for (const json& g : *gpus) r.gpus.push_back(gpu_from(g, what));
  return r;
}

std::string frame_message(std::string_view body) {
  if (body.size() > kMaxMessageBytes) {
    throw ProtocolError(fmt::format("message of {} bytes is above the limit of {}", body.size(), kMaxMessageBytes));
  }
  const auto n = static_cast<std::uint32_t>(body.size());
  std::string out;
  out.reserve(4 + body.size());
  out.push_back(static_cast<char>((n >> 24) & 0xff));
  out.push_back(static_cast<char>((n >> 16) & 0xff));
  out.push_back(static_cast<char>((n >> 8) & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
  out.append(body);
  return out;
}

std::optional<std::string> MessageReader::next() {
  if (buffer_.size() < 4) return std::nullopt;
  const auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(buffer_[i])); };
  const std::uint32_t n = (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
  if (n > kMaxMessageBytes) {
    throw ProtocolError(fmt::format("message length {} is above the limit of {} bytes", n, kMaxMessageBytes));
  }
  if (buffer_.size() < 4 + static_cast<std::size_t>(n)) return std::nullopt;
  std::string body = buffer_.substr(4, n);
  buffer_.erase(0, 4 + static_cast<std::size_t>(n));
  return body;
}

}  // namespace chase

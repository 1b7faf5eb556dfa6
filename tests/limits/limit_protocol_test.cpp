// chased's wire protocol: what a client sends comes out as it was meant; everything else is a
// ProtocolError that names what is wrong — never a crash, never a half-read request.

#include <gtest/gtest.h>

#include "limits/limit_protocol.hpp"

namespace chase {
namespace {

TEST(LimitProtocol, RequestsRoundTrip) {
  const LimitRequest set = decode_request(encode_request({LimitOp::kSet, "GPU-x", Power::watts(212.5)}));
  EXPECT_EQ(set.op, LimitOp::kSet);
  EXPECT_EQ(set.gpu, "GPU-x");
  EXPECT_DOUBLE_EQ(set.limit->watts(), 212.5);
  EXPECT_EQ(decode_request(encode_request({LimitOp::kList})).op, LimitOp::kList);
  const LimitRequest release = decode_request(encode_request({LimitOp::kRelease, "1"}));
  EXPECT_EQ(release.op, LimitOp::kRelease);
  EXPECT_EQ(release.gpu, "1");
}

TEST(LimitProtocol, ResponsesRoundTrip) {
  LimitResponse ok;
  ok.ok = true;
  GpuLimitInfo g;
  g.index = 3;
  g.uuid = "GPU-abc";
  g.name = "NVIDIA A40";
  g.limit = Power::watts(200);
  g.range = {Power::watts(100), Power::watts(300)};
  g.default_limit = Power::watts(300);
  g.holder = LimitHolder{42, 1001, 1764558000};
  g.allowed = PowerLimitRange{Power::watts(150), Power::watts(250)};
  ok.gpus.push_back(g);
  GpuLimitInfo not_allowed = g;
  not_allowed.allowed.reset();
  ok.gpus.push_back(not_allowed);
  const LimitResponse back = decode_response(encode_response(ok));
  ASSERT_TRUE(back.ok);
  ASSERT_EQ(back.gpus.size(), 2u);
  ASSERT_TRUE(back.gpus[0].allowed.has_value());
  EXPECT_DOUBLE_EQ(back.gpus[0].allowed->min.watts(), 150);
  EXPECT_DOUBLE_EQ(back.gpus[0].allowed->max.watts(), 250);
  EXPECT_FALSE(back.gpus[1].allowed.has_value());
  EXPECT_EQ(back.gpus[0].index, 3u);
  EXPECT_EQ(back.gpus[0].uuid, "GPU-abc");
  EXPECT_DOUBLE_EQ(back.gpus[0].limit.watts(), 200);
  EXPECT_DOUBLE_EQ(back.gpus[0].range.max.watts(), 300);
  ASSERT_TRUE(back.gpus[0].holder.has_value());
  EXPECT_EQ(back.gpus[0].holder->pid, 42);
  EXPECT_EQ(back.gpus[0].holder->uid, 1001u);

  const LimitResponse busy = decode_response(encode_response(LimitResponse::failure(LimitErrorCode::kBusy, "held")));
  EXPECT_FALSE(busy.ok);
  EXPECT_EQ(busy.code, LimitErrorCode::kBusy);
  EXPECT_EQ(busy.error, "held");
}

void expect_refused(std::string_view body, const std::string& says) {
  try {
    decode_request(body);
    ADD_FAILURE() << "accepted: " << body;
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
  }
}

TEST(LimitProtocol, BadRequestsAreProtocolErrorsThatSayWhy) {
  expect_refused("", "not JSON");
  expect_refused("{\"version\":1,", "not JSON");
  expect_refused("[]", "not a JSON object");
  expect_refused("{\"op\":\"list\"}", "no \"version\"");
  expect_refused("{\"version\":2,\"op\":\"list\"}", "protocol version 2 is not supported");
  expect_refused("{\"version\":\"1\",\"op\":\"list\"}", "protocol version \"1\"");
  expect_refused("{\"version\":1,\"op\":\"shutdown\"}", "unknown op \"shutdown\"");
  expect_refused("{\"version\":1,\"op\":7}", "\"op\" must be a string");
  expect_refused("{\"version\":1,\"op\":\"set\",\"gpu\":\"0\"}", "\"limit_mw\" must be an integer");
  expect_refused("{\"version\":1,\"op\":\"set\",\"gpu\":\"0\",\"limit_mw\":2.5}", "\"limit_mw\" must be an integer");
  expect_refused("{\"version\":1,\"op\":\"set\",\"gpu\":\"0\",\"limit_mw\":0}", "is not a power limit");
  expect_refused("{\"version\":1,\"op\":\"set\",\"gpu\":\"0\",\"limit_mw\":18446744073709551615}", "out of range");
  expect_refused("{\"version\":1,\"op\":\"set\",\"gpu\":5,\"limit_mw\":1000}", "\"gpu\" must be a string");
  expect_refused("{\"version\":1,\"op\":\"release\",\"gpu\":\"" + std::string(200, 'x') + "\"}", "longer than");
}

TEST(LimitProtocol, TheReaderCutsAStreamIntoMessagesWhateverItsChunks) {
  const std::string stream = frame_message("{\"a\":1}") + frame_message("") + frame_message("xyz");
  MessageReader reader;
  std::vector<std::string> bodies;
  for (char c : stream) {  // one byte at a time
    reader.append(std::string_view(&c, 1));
    while (auto body = reader.next()) bodies.push_back(*body);
  }
  EXPECT_EQ(bodies, (std::vector<std::string>{"{\"a\":1}", "", "xyz"}));
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(LimitProtocol, ALengthAboveTheLimitIsRefusedBeforeAnythingIsBuffered) {
  MessageReader reader;
  const std::uint32_t n = kMaxMessageBytes + 1;
  const char prefix[4] = {static_cast<char>(n >> 24), static_cast<char>((n >> 16) & 0xff),
                          static_cast<char>((n >> 8) & 0xff), static_cast<char>(n & 0xff)};
  reader.append(std::string_view(prefix, 4));
  EXPECT_THROW(reader.next(), ProtocolError);
  EXPECT_THROW(frame_message(std::string(kMaxMessageBytes + 1, ' ')), ProtocolError);
}

}  // namespace
}  // namespace chase

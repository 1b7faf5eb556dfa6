#include "control/stop_signals.hpp"

#include <gtest/gtest.h>

#include <csignal>

#include "core/error.hpp"

namespace chase {
namespace {

TEST(StopSignals, ASignalBecomesAStopRequestThatWakesAWaiter) {
  StopSignals signals;
  EXPECT_FALSE(signals.stop_requested());
  EXPECT_FALSE(signals.wait_for(Duration::milliseconds(10)));
  std::raise(SIGTERM);
  EXPECT_TRUE(signals.stop_requested());
  EXPECT_EQ(signals.signal(), SIGTERM);
  // Already requested: no waiting at all (an hour would time the test out).
  EXPECT_TRUE(signals.wait_for(Duration::hours(1)));
}

TEST(StopSignals, OnlyOneOwnerAtATimeAndTheDispositionsComeBack) {
  {
    StopSignals first;
    EXPECT_THROW(StopSignals second, Error);
  }
  struct sigaction now {};
  sigaction(SIGINT, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);
  StopSignals again;  // free again
  EXPECT_FALSE(again.stop_requested());
}

TEST(StopSignals, ReraiseWithoutASignalReturns) {
  StopSignals signals;
  signals.reraise();
  SUCCEED();
}

}  // namespace
}  // namespace chase

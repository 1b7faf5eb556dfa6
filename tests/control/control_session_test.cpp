// What a control session's result says in reports: the profile it ran with, and its error.

#include "control/control_session.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

TEST(ControlSessionResult, ProfileNameSaysWhichProfileOrWhyNone) {
  const PowerProfile saved = PowerProfile::load("a40-resnet50");
  ControlSessionSetup setup;
  ControlSessionResult result;
  EXPECT_EQ(profile_name(setup, result), "none");
  result.profiling_interrupted = true;
  EXPECT_EQ(profile_name(setup, result), "none (the job ended while it was being profiled)");
  result.profiled = PowerProfile("measured", saved.points());
  EXPECT_EQ(profile_name(setup, result), "measured");
  setup.profile = &saved;
  EXPECT_EQ(profile_name(setup, result), saved.source());
}

TEST(ControlSessionResult, ErrorMessageIsTheErrorsWhat) {
  ControlSessionResult result;
  EXPECT_EQ(result.error_message(), "");
  result.error = std::make_exception_ptr(HardwareError("nvml:0: GPU is lost"));
  EXPECT_EQ(result.error_message(), "nvml:0: GPU is lost");
}

}  // namespace
}  // namespace chase

#include "core/time_stamp.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

struct Accepted {
  const char* text;
  const char* utc;
  TimeStampForm form;
};

TEST(TimeStamp, AcceptsOneInstantWrittenManyWays) {
  using F = TimeStampForm;
  const std::vector<Accepted> cases = {
      {"2020-01-01T00:30:00Z", "2020-01-01T00:30:00Z", F::iso8601},
      {"2020-01-01t00:30:00z", "2020-01-01T00:30:00Z", F::iso8601},
      {"2020-01-01 00:30Z", "2020-01-01T00:30:00Z", F::iso8601},            // a space for the T, no seconds
      {"2020-01-01 00:30:00 UTC", "2020-01-01T00:30:00Z", F::iso8601},       // BigQuery, Python
      {"2020-01-01 00:30:00+00:00", "2020-01-01T00:30:00Z", F::iso8601},     // pandas to_csv
      {"2020-01-01T02:30:00+02:00", "2020-01-01T00:30:00Z", F::iso8601},
      {"2019-12-31T19:30:00-05:00", "2020-01-01T00:30:00Z", F::iso8601},
      {"2020-01-01T01:30:00+0100", "2020-01-01T00:30:00Z", F::iso8601},
      {"2020-01-01T01:30:00+01", "2020-01-01T00:30:00Z", F::iso8601},
      {"2020-01-01T01:30:00 +01:00", "2020-01-01T00:30:00Z", F::iso8601},
      {"2020-01-01T00:00:00.25Z", "2020-01-01T00:00:00.250Z", F::iso8601},
      {"2020-01-01T00:00:00,125Z", "2020-01-01T00:00:00.125Z", F::iso8601},  // ISO's decimal comma
      {"2020-01-01T00:00:00.123456789Z", "2020-01-01T00:00:00.123Z", F::iso8601},
      {"  2020-01-01T00:00:00Z ", "2020-01-01T00:00:00Z", F::iso8601},
      // The autumn DST change in Berlin: the same local hour twice, told apart by its offset.
      {"2020-10-25T02:30:00+02:00", "2020-10-25T00:30:00Z", F::iso8601},
      {"2020-10-25T02:30:00+01:00", "2020-10-25T01:30:00Z", F::iso8601},
      {"2020-02-29T00:00:00Z", "2020-02-29T00:00:00Z", F::iso8601},
      {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", F::iso8601},
      {"2200-12-31T23:59:59Z", "2200-12-31T23:59:59Z", F::iso8601},
      {"1577836800", "2020-01-01T00:00:00Z", F::epoch_seconds},
      {"1577836800.5", "2020-01-01T00:00:00.500Z", F::epoch_seconds},
      {"946684800", "2000-01-01T00:00:00Z", F::epoch_seconds},               // 9 digits
      {"1577836800000", "2020-01-01T00:00:00Z", F::epoch_milliseconds},
      {"1577836800250", "2020-01-01T00:00:00.250Z", F::epoch_milliseconds},
  };
  for (const Accepted& c : cases) {
    const TimeStampReading r = read_time_stamp(c.text, EpochNumbers::accepted);
    ASSERT_TRUE(r.time) << c.text << ": " << r.problem;
    EXPECT_EQ(r.time->iso8601(), c.utc) << c.text;
    EXPECT_EQ(r.form, c.form) << c.text;
  }
}

TEST(TimeStamp, RefusesWhatIsAmbiguousOrImplausibleAndSaysWhy) {
  const std::string not_iso = "is not ISO 8601 (expected e.g. 2020-01-01T00:00:00Z)";
  const std::string range = "is outside the plausible range (years 1970 to 2200, UTC)";
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"", "is empty"},
      {"2020-13-01 00:00", "is not a valid date"},
      {"2021-02-29T00:00:00Z", "is not a valid date"},
      {"2020-01-01T24:00:00Z", "is not a valid time of day"},
      {"2020-01-01T23:59:60Z", "is not a valid time of day"},
      {"2020-01-01T00:00:00", "has no time zone (UTC or local time?): add Z for UTC, or its offset such as +01:00"},
      {"2020-01-01 00:00", "has no time zone (UTC or local time?): add Z for UTC, or its offset such as +01:00"},
      {"2020-01-01", "is a date without a time of day and zone (write e.g. 2020-01-01T00:00:00Z)"},
      {"2020-01-01T00:00:00+15:00", "has a UTC offset outside -12:00..+14:00, the offsets real zones use"},
      {"03/04/2020 00:00", "is ambiguous: day/month/year gives 2020-04-03T00:00:00Z, month/day/year gives "
                           "2020-03-04T00:00:00Z; write ISO 8601 with its zone, e.g. one of them"},
      {"13/04/2020 18:30", "is not ISO 8601 and has no time zone: it reads as day/month/year only; write ISO 8601 "
                           "with its zone, e.g. 2020-04-13T18:30:00Z if it is UTC"},
      {"4/13/2020 6:30", "is not ISO 8601 and has no time zone: it reads as month/day/year only; write ISO 8601 "
                         "with its zone, e.g. 2020-04-13T06:30:00Z if it is UTC"},
      {"01.01.2020", "is not ISO 8601 and has no time zone: it reads as one date only; write ISO 8601 with its "
                     "zone, e.g. 2020-01-01T00:00:00Z if it is UTC"},
      {"2020/04/13 00:00", "is not ISO 8601 and has no time zone: write ISO 8601 with its zone, e.g. "
                           "2020-04-13T00:00:00Z if it is UTC"},
      {"31/02/2020", "is not a valid date"},
      {"13/04/2020 6:30 PM", "is not ISO 8601 and has no time zone: it reads as day/month/year only; write ISO 8601 "
                             "with its zone, e.g. 2020-04-13THH:MM:SSZ if it is UTC"},
      {"2020-01-01 midnight", not_iso},
      {"yesterday", not_iso},
      {"2020-01-01T00:00:00Zjunk", not_iso},
      {"1969-12-31T23:00:00Z", range},
      {"1970-01-01T00:30:00+01:00", range},  // 1969 in UTC
      {"2201-01-01T00:00:00Z", range},
      {"9999-12-31T00:00:00Z", range},
      {"32768-01-01T00:00:00Z", range},      // once printed as a negative year
      {"99999999999", "has 11 digits: epoch seconds have 9 or 10 (1973 to 2286), epoch milliseconds 12 or 13; other "
                      "numbers are not time stamps"},
      {"2020", "has 4 digits: epoch seconds have 9 or 10 (1973 to 2286), epoch milliseconds 12 or 13; other numbers "
               "are not time stamps"},
      {"9999999999", range},                 // 2286 in seconds
      {"0", "has 1 digit: epoch seconds have 9 or 10 (1973 to 2286), epoch milliseconds 12 or 13; other numbers are "
            "not time stamps"},
      {"-1577836800", range},
      {"1.5778368E+09", "is in scientific notation, which rounds epoch times: format the column as a whole number or "
                        "as ISO 8601"},
  };
  for (const auto& [text, problem] : cases) {
    const TimeStampReading r = read_time_stamp(text, EpochNumbers::accepted);
    EXPECT_FALSE(r.time) << text;
    EXPECT_EQ(r.problem, problem) << text;
  }
}

TEST(TimeStamp, FlagsTakeNoEpochNumbers) {
  const TimeStampReading r = read_time_stamp("1577836800");
  EXPECT_FALSE(r.time);
  EXPECT_EQ(r.problem, "is a number, not a date and time (expected ISO 8601 such as 2020-01-01T00:00:00Z)");
  EXPECT_EQ(time_stamp_problem(" 2020-13-01 00:00", "is not a valid date"),
            "time stamp \"2020-13-01 00:00\" is not a valid date");
}

}  // namespace
}  // namespace chase

#pragma once
// The one reader of time stamps, for files (traces) and flags (--start, --from, --window) alike.
// A time stamp is an instant: it is accepted only when the text names one instant, and is
// refused with the reason otherwise.
//
//   text                                   result
//   2020-01-01T00:00:00Z                   accepted (also 'z', " UTC", a space for the T,
//   2020-01-01 00:00                       minutes only or seconds with a fraction, kept to
//   2020-01-01T00:00:00.250Z               the millisecond: further digits are dropped)
//   2020-01-01T01:00:00+01:00              converted to UTC (offsets ±HH:MM, ±HHMM or ±HH, at
//                                          most -12:00..+14:00, as real zones are)
//   2020-01-01T00:00:00 (no zone)          refused: UTC or local time? Every fixture carries Z;
//                                          a local time without its offset may even name two
//                                          instants (the hour repeated when DST ends)
//   2020-01-01 (a date alone)              refused: which instant of the day, in which zone?
//   03/04/2020 00:00, 13/04/2020, 1.4.2020 refused: day/month or month/day, and no zone; the
//                                          message says which readings are possible
//   1577836800 / 1577836800.5              epoch seconds (9 or 10 digits: 1973..2286), where
//                                          the reader accepts numbers (trace files do, flags not)
//   1577836800000                          epoch milliseconds (12 or 13 digits: 1973..2286)
//   other digit counts, 1.58E+09           refused: not an epoch by its magnitude, or scientific
//                                          notation (a spreadsheet's rounding)
//   2020-13-01, 2021-02-29, 24:00, :60     refused: not a valid date / time of day
//   any instant before 1970-01-01 or from  refused: outside the plausible range (no grid data
//   2201-01-01 (UTC)                       before 1970; nothing plans past 2200). It also keeps
//                                          every accepted time printable (a year past 32767 once
//                                          printed as a negative year)
//
// Problems are phrased to follow `time stamp "<text>"`, e.g. `is not a valid date`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/utc_time.hpp"

namespace chase {

inline constexpr int kFirstPlausibleYear = 1970;
inline constexpr int kLastPlausibleYear = 2200;

enum class TimeStampForm { iso8601, epoch_seconds, epoch_milliseconds };
enum class EpochNumbers { refused, accepted };

struct TimeStampReading {
  std::optional<UtcTime> time;  // set when the text is one plausible instant
  TimeStampForm form = TimeStampForm::iso8601;
  std::string problem;          // otherwise: why not, to follow `time stamp "<text>" `
};

// Surrounding spaces are ignored.
TimeStampReading read_time_stamp(std::string_view text, EpochNumbers epoch = EpochNumbers::refused);

// `time stamp "<text>" <problem>`, the text shown as quoted_excerpt() shows it.
std::string time_stamp_problem(std::string_view text, const std::string& problem);

// Times chase computes (a forecast's frames after a trace, a grid's end, a frame's end after a
// reading) stay within what it reads: from 1970-01-01T00:00:00Z up to the end of 2200,
// 2201-01-01T00:00:00Z included (where a frame of the last day of 2200 ends). Anything else is
// never produced nor printed: checked_time throws InputError naming what computed it, e.g.
// "forecast frame +8 would end at 2201-01-01T07:00:00Z, past the end of 2200 (chase keeps times
// within the years 1970 to 2200, UTC)". Returns `t`.
UtcTime checked_time(UtcTime t, std::string_view what);

// "epoch seconds", "epoch milliseconds", "ISO 8601".
std::string_view form_name(TimeStampForm form);

}  // namespace chase

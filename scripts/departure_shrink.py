#!/usr/bin/env python3
"""Measure how much of a repeated day's departure from "now" the future really shows.

chase's scenario for the rest of a job (src/control/chase_policy.cpp) is the last day's
intensity, shifted by today's departure from it (fading over 12 h), with its departure from the
current forecast shrunk by kDepartureShrink. This script is where that constant comes from: on
each trace, resampled to a 30-minute grid (a step holds until the next row), for starts every
1.5 h with a day of history behind them, it regresses the realised departure
(value at lead h − value now) on the scenario's (scenario at h − value now), least squares
through the origin, in 6-hour bins of lead time from 0 to 24 h. A slope of 1 would mean
yesterday's shape repeats in full; below 1, it overstates how far the future moves.

Least squares weighs large departures most: one spike far above the rest of a trace pulls the
slopes down, so read them on real traces (chase's reader refuses values above 5000 g/kWh).

Usage: scripts/departure_shrink.py data/traces/gb-2020.csv [more.csv ...]
Prints one line per trace: its name and the slope per lead-time bin. A file it cannot measure
(unreadable, no header, a bad row, rows out of order, less than three days, flat) is one line
on stderr naming it, and a non-zero exit.
Standard library only; the traces' format is data/README.md's (timestamp,intensity_g_per_kwh).
"""

import csv
import math
import sys
from datetime import datetime

STEP_S = 1800.0  # the grid: the coarsest common step of gb and fr
DAY = 48  # grid steps in a day
FADE_H = 12.0  # kAnomalyFadeS in chase_policy.cpp
START_EVERY = 3  # grid steps between starts (1.5 h)
BIN = 12  # grid steps per lead-time bin (6 h)


def fail(message):
    """One line on stderr and a non-zero exit: the script's only way to refuse an input."""
    sys.exit(message)


def parse_time(text):
    """Epoch seconds of an ISO 8601 time stamp that states its zone (Z or ±HH:MM), else None."""
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return t.timestamp() if t.tzinfo is not None else None


def read_trace(path):
    """(epoch seconds, g/kWh) rows in time order; a bad file or row is one line naming where."""
    rows = []
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames is None or not {"timestamp", "intensity_g_per_kwh"} <= set(reader.fieldnames):
                fail(f"{path}: no timestamp,intensity_g_per_kwh header")
            for line, row in enumerate(reader, start=2):
                t = parse_time(row["timestamp"])
                if t is None:
                    fail(f"{path}:{line}: timestamp {row['timestamp']!r} is not ISO 8601 with a zone")
                try:
                    v = float(row["intensity_g_per_kwh"])
                except (TypeError, ValueError):
                    fail(f"{path}:{line}: intensity {row['intensity_g_per_kwh']!r} is not a number")
                if not (math.isfinite(v) and v >= 0):
                    fail(f"{path}:{line}: intensity {row['intensity_g_per_kwh']!r} is not a finite value >= 0")
                if rows and t <= rows[-1][0]:
                    fail(f"{path}:{line}: time stamp not after the row before it")
                rows.append((t, v))
    except (OSError, UnicodeDecodeError) as e:
        fail(f"{path}: cannot read: {e.strerror if isinstance(e, OSError) and e.strerror else e}")
    if not rows or rows[-1][0] - rows[0][0] < 3 * DAY * STEP_S:
        fail(f"{path}: spans less than three days (a day of history, a day of leads, a start between)")
    return rows


def on_grid(rows):
    """The trace on the 30-minute grid, each step holding the last row at or before it."""
    grid = []
    i = 0
    t = rows[0][0]
    while t < rows[-1][0]:
        while i + 1 < len(rows) and rows[i + 1][0] <= t:
            i += 1
        grid.append(rows[i][1])
        t += STEP_S
    return grid


def slopes(values):
    sxy = {}
    sxx = {}
    for now in range(DAY, len(values) - DAY, START_EVERY):
        yesterday = values[now - DAY : now]
        forecast = values[now - 1]  # a one-step persistence forecast of the frame now
        anomaly = forecast - yesterday[0]
        for lead in range(DAY):
            hours = (lead + 0.5) * STEP_S / 3600.0
            scenario = yesterday[lead] + anomaly * math.exp(-hours / FADE_H)
            x = scenario - forecast
            y = values[now + lead] - forecast
            b = lead // BIN
            sxy[b] = sxy.get(b, 0.0) + x * y
            sxx[b] = sxx.get(b, 0.0) + x * x
    return [(b * BIN * STEP_S / 3600.0, sxy[b] / sxx[b]) for b in sorted(sxx) if sxx[b] > 0]


def main(paths):
    if not paths:
        sys.exit(__doc__.strip().splitlines()[0] + "\nusage: departure_shrink.py TRACE.csv [...]")
    for path in paths:
        bins = slopes(on_grid(read_trace(path)))
        if not bins:
            fail(f"{path}: the intensity never departs from the forecast (a flat trace): no slope to measure")
        text = " ".join(f"{h:.0f}-{h + BIN * STEP_S / 3600.0:.0f} h: {s:.2f}" for h, s in bins)
        print(f"{path}: {text}")


if __name__ == "__main__":
    main(sys.argv[1:])

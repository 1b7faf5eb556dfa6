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

Usage: scripts/departure_shrink.py data/traces/gb-2020.csv [more.csv ...]
Prints one line per trace: its name and the slope per lead-time bin.
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


def read_trace(path):
    """(epoch seconds, g/kWh) rows; a clear error names the file and line of a bad row."""
    rows = []
    with open(path, newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            try:
                t = datetime.fromisoformat(row["timestamp"].replace("Z", "+00:00")).timestamp()
                v = float(row["intensity_g_per_kwh"])
            except (KeyError, TypeError, ValueError) as e:
                sys.exit(f"{path}:{line}: not a timestamp,intensity_g_per_kwh row ({e})")
            if not math.isfinite(v):
                sys.exit(f"{path}:{line}: intensity is not a finite number")
            rows.append((t, v))
    if len(rows) < 3 * DAY:
        sys.exit(f"{path}: fewer than three days of rows")
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
        text = " ".join(f"{h:.0f}-{h + BIN * STEP_S / 3600.0:.0f} h: {s:.2f}" for h, s in bins)
        print(f"{path}: {text}")


if __name__ == "__main__":
    main(sys.argv[1:])

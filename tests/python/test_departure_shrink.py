"""scripts/departure_shrink.py: the measurement behind chase's kDepartureShrink.

Synthetic traces whose answer is known: a day that repeats exactly has a slope of about 1 (the
repeated day's departure from now is the future's), a trace whose daily swing halves every day
has a slope of about 0.5 at every lead, and a bad row is one line naming the file and line, as
is every input it cannot measure (too short a span, a flat trace, rows out of order, no zone,
no header, no file).
"""

import math
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "departure_shrink.py"


def write_trace(path: Path, values, step_minutes=30):
    start = datetime(2021, 3, 1, tzinfo=timezone.utc)
    rows = ["timestamp,intensity_g_per_kwh"]
    for i, v in enumerate(values):
        t = start + timedelta(minutes=step_minutes * i)
        rows.append(f"{t.strftime('%Y-%m-%dT%H:%M:%SZ')},{v:.6f}")
    path.write_text("\n".join(rows) + "\n")


def slopes(path: Path):
    out = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True, check=True)
    # "<path>: 0-6 h: 1.00 6-12 h: 1.00 ..."
    fields = out.stdout.strip().split(": ", 1)[1].split(" ")
    return [float(fields[i]) for i in range(2, len(fields), 3)]


def test_a_day_that_repeats_exactly_has_slope_one(tmp_path):
    day = [200 + 80 * math.sin(2 * math.pi * k / 48) + 30 * math.sin(2 * math.pi * k / 12) for k in range(48)]
    trace = tmp_path / "repeat.csv"
    write_trace(trace, day * 6)
    # Not exactly 1: "now" is a persistence forecast (the last value), one step behind the curve.
    got = slopes(trace)
    assert len(got) == 4
    assert all(abs(s - 1.0) < 0.1 for s in got), got


def test_a_day_that_flattens_by_half_every_day_has_slope_one_half(tmp_path):
    # Day d is 300 + 0.5^d · wave: tomorrow departs from now by half of what today did at every
    # lead (the current value too is on today's curve, so the anomaly term carries the same factor).
    wave = [100 * math.sin(2 * math.pi * k / 48) for k in range(48)]
    values = [300 + (0.5**d) * w for d in range(5) for w in wave]
    trace = tmp_path / "halving.csv"
    write_trace(trace, values)
    got = slopes(trace)
    assert len(got) == 4
    assert all(0.35 < s < 0.65 for s in got), got


def test_a_bad_row_is_one_line_naming_file_and_line(tmp_path):
    trace = tmp_path / "bad.csv"
    write_trace(trace, [100.0] * 200)
    lines = trace.read_text().splitlines()
    lines[5] = "2021-03-01T02:00:00Z,not-a-number"
    trace.write_text("\n".join(lines) + "\n")
    out = subprocess.run([sys.executable, str(SCRIPT), str(trace)], capture_output=True, text=True)
    assert out.returncode != 0
    assert out.stderr.strip() == f"{trace}:6: intensity 'not-a-number' is not a number"


def refusal(path: Path):
    out = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True)
    assert out.returncode != 0
    assert out.stdout == ""
    return out.stderr.strip()


def test_inputs_it_cannot_measure_are_one_line_each(tmp_path):
    day = [200 + 80 * math.sin(2 * math.pi * k / 48) for k in range(48)]
    # Five days of hourly rows (120 rows) are enough: the span counts, not the rows.
    hourly = tmp_path / "hourly.csv"
    write_trace(hourly, [day[2 * k] for k in range(24)] * 5, step_minutes=60)
    assert len(slopes(hourly)) == 4
    # 150 one-minute rows are 2.5 h, not three days.
    short = tmp_path / "short.csv"
    write_trace(short, day * 3 + day[:6], step_minutes=1)
    assert refusal(short) == f"{short}: spans less than three days (a day of history, a day of leads, a start between)"
    flat = tmp_path / "flat.csv"
    write_trace(flat, [300.0] * 48 * 5)
    assert refusal(flat) == f"{flat}: the intensity never departs from the forecast (a flat trace): no slope to measure"
    unsorted = tmp_path / "unsorted.csv"
    write_trace(unsorted, day * 5)
    lines = unsorted.read_text().splitlines()
    lines[3], lines[4] = lines[4], lines[3]
    unsorted.write_text("\n".join(lines) + "\n")
    assert refusal(unsorted) == f"{unsorted}:5: time stamp not after the row before it"
    no_zone = tmp_path / "no-zone.csv"
    no_zone.write_text("timestamp,intensity_g_per_kwh\n2021-03-01T00:00:00,100\n")
    assert refusal(no_zone) == f"{no_zone}:2: timestamp '2021-03-01T00:00:00' is not ISO 8601 with a zone"
    negative = tmp_path / "negative.csv"
    negative.write_text("timestamp,intensity_g_per_kwh\n2021-03-01T00:00:00Z,-5\n")
    assert refusal(negative) == f"{negative}:2: intensity '-5' is not a finite value >= 0"
    not_csv = tmp_path / "trace.json"
    not_csv.write_text('{"data": []}\n')
    assert refusal(not_csv) == f"{not_csv}: no timestamp,intensity_g_per_kwh header"
    missing = tmp_path / "missing.csv"
    assert refusal(missing) == f"{missing}: cannot read: No such file or directory"
    assert refusal(tmp_path) == f"{tmp_path}: cannot read: Is a directory"

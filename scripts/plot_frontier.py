#!/usr/bin/env python3
"""Saving-vs-slowdown frontier of the power-limit policies, as SVG, from the summary CSV of
`chase bench policies --csv FILE`. Standard library only.

    scripts/plot_frontier.py SUMMARY.csv OUT.svg
"""
import csv
import sys

COLORS = {"max": "#777777", "zeus": "#1f77b4", "chase": "#d62728", "oracle": "#2ca02c"}
PANEL_W, PANEL_H, MARGIN = 300, 230, 48


def load(path):
    rows = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            rows.setdefault(r["profile"], {}).setdefault(r["policy"], []).append(
                (float(r["budget_pct"]), float(r["mean_slowdown_pct"]), float(r["mean_saved_pct"])))
    return rows


def panel(out, x0, y0, title, series, x_max, y_max):
    def px(x):
        return x0 + MARGIN + (x - X_MIN) / (x_max - X_MIN) * (PANEL_W - MARGIN - 10)

    def py(y):
        return y0 + PANEL_H - 30 - y / y_max * (PANEL_H - 60)

    out.append(f'<text x="{x0 + PANEL_W / 2}" y="{y0 + 16}" text-anchor="middle" font-weight="bold">{title}</text>')
    out.append(f'<line x1="{px(X_MIN)}" y1="{py(0)}" x2="{px(x_max)}" y2="{py(0)}" stroke="black"/>')
    out.append(f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(0)}" y2="{py(y_max)}" stroke="black"/>')
    for t in range(int(X_MIN) // 2 * 2, int(x_max) + 1, 2):
        out.append(f'<text x="{px(t)}" y="{py(0) + 14}" text-anchor="middle" font-size="10">{t}</text>')
    for t in range(0, int(y_max) + 1, 5):
        out.append(f'<text x="{px(X_MIN) - 4}" y="{py(t) + 3}" text-anchor="end" font-size="10">{t}</text>')
        out.append(f'<line x1="{px(X_MIN)}" y1="{py(t)}" x2="{px(x_max)}" y2="{py(t)}" stroke="#eeeeee"/>')
    out.append(f'<text x="{x0 + MARGIN + (PANEL_W - MARGIN) / 2}" y="{y0 + PANEL_H - 4}" text-anchor="middle" '
               f'font-size="10">mean slowdown, %</text>')
    out.append(f'<text transform="translate({x0 + 12},{y0 + PANEL_H / 2}) rotate(-90)" text-anchor="middle" '
               f'font-size="10">mean carbon saved, %</text>')
    for policy in ("zeus", "chase", "oracle", "max"):
        points = sorted(series.get(policy, []))
        if not points:
            continue
        path = " ".join(f"{px(s):.1f},{py(v):.1f}" for _, s, v in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{COLORS[policy]}" stroke-width="1.5"/>')
        for budget, s, v in points:
            out.append(f'<circle cx="{px(s):.1f}" cy="{py(v):.1f}" r="3" fill="{COLORS[policy]}">'
                       f'<title>{policy}, budget {budget:g} %: {v:.2f} % saved at {s:+.2f} %</title></circle>')


X_MIN = -1.0


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows = load(sys.argv[1])
    names = [p for p in rows if p != "all"] + (["all"] if "all" in rows else [])
    global X_MIN
    X_MIN = min(0.0, min(s for p in rows.values() for pts in p.values() for _, s, _ in pts)) - 0.5
    x_max = max(s for p in rows.values() for pts in p.values() for _, s, _ in pts) + 1
    y_max = max(v for p in rows.values() for pts in p.values() for _, _, v in pts) * 1.1 + 1
    cols = 4
    rows_n = (len(names) + cols - 1) // cols
    width, height = cols * PANEL_W, rows_n * PANEL_H + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">', f'<rect width="{width}" height="{height}" fill="white"/>']
    for i, name in enumerate(names):
        panel(out, (i % cols) * PANEL_W, (i // cols) * PANEL_H, name, rows[name], x_max, y_max)
    legend_y = rows_n * PANEL_H + 24
    for i, policy in enumerate(("max", "zeus", "chase", "oracle")):
        x = 20 + i * 140
        out.append(f'<circle cx="{x}" cy="{legend_y - 4}" r="5" fill="{COLORS[policy]}"/>')
        out.append(f'<text x="{x + 10}" y="{legend_y}">{policy}</text>')
    out.append(f'<text x="{20 + 4 * 140}" y="{legend_y}" font-size="10">points: slowdown budgets 0, 2.5, 5, 10 %</text>')
    out.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()

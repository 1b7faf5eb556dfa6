#include "report/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "report/html_text.hpp"

namespace chase {
namespace {

constexpr double kWidth = 960;
constexpr double kHeight = 320;
constexpr double kLeft = 76;
constexpr double kRight = 76;
constexpr double kTop = 52;
constexpr double kBottom = 48;

struct Range {
  double low = 0;
  double high = 1;
  double span() const { return high - low; }
};

// The data range widened to its ticks (and to 0 when `from_zero`).
Range axis_range(const std::vector<double>& ticks) { return {ticks.front(), ticks.back()}; }

int decimals_for(double step) {
  if (!(step > 0)) return 0;
  return std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
}

std::string tick_text(double value, double step) { return html_number(value, decimals_for(step)); }

std::string num(double v) { return fmt::format("{:.2f}", v); }

std::string data_attributes(const std::map<std::string, std::string>& data) {
  std::string out;
  for (const auto& [key, value] : data) out += fmt::format(" data-{}=\"{}\"", html_escape(key), html_escape(value));
  return out;
}

std::string value_list(const std::vector<double>& values) {
  std::string out;
  for (const double v : values) {
    if (!out.empty()) out += ' ';
    out += fmt::format("{:.6g}", v);
  }
  return out;
}

bool finite(const ChartPoint& p) { return std::isfinite(p.x) && std::isfinite(p.y); }

std::string no_data(const std::string& title, const std::string& css_class) {
  return fmt::format(
      "<svg class=\"chart {}\" viewBox=\"0 0 {} 80\" role=\"img\"><title>{}</title>"
      "<text x=\"{}\" y=\"30\" class=\"chart-title\">{}</text>"
      "<text x=\"{}\" y=\"60\" class=\"no-data\">no data</text></svg>\n",
      html_escape(css_class), kWidth, html_escape(title), kLeft, html_escape(title), kLeft);
}

std::string y_axis(const std::vector<double>& ticks, const Range& r, double x, bool right, const std::string& label) {
  const double plot_h = kHeight - kTop - kBottom;
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  std::string out = fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", num(x), num(kTop), num(x),
                                num(kHeight - kBottom));
  for (const double t : ticks) {
    const double y = kTop + plot_h * (1 - (t - r.low) / r.span());
    if (!right) {
      out += fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", num(kLeft), num(y),
                         num(kWidth - kRight), num(y));
    }
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>", num(right ? x + 6 : x - 6),
                       num(y + 4), right ? "start" : "end", tick_text(t, step));
  }
  const double lx = right ? kWidth - 14 : 16;
  const double ly = kTop + plot_h / 2;
  out += fmt::format("<text class=\"axis-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 {} {})\">{}</text>",
                     num(lx), num(ly), num(lx), num(ly), html_escape(label));
  return out;
}

std::string legend(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out;
  double x = kLeft;
  for (const auto& [label, colour] : entries) {
    out += fmt::format("<rect class=\"legend-key\" x=\"{}\" y=\"32\" width=\"14\" height=\"4\" fill=\"{}\"/>", num(x),
                       html_escape(colour));
    out += fmt::format("<text class=\"legend\" x=\"{}\" y=\"38\">{}</text>", num(x + 20), html_escape(label));
    x += 40 + 7.0 * static_cast<double>(label.size());
  }
  return out;
}

}  // namespace

std::vector<double> nice_ticks(double low, double high, int count) {
  if (!std::isfinite(low) || !std::isfinite(high)) return {0, 1};
  if (high < low) std::swap(low, high);
  if (high - low <= 0) {
    const double pad = low == 0 ? 1 : std::abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const double raw = (high - low) / std::max(1, count);
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (raw <= step) break;
  }
  const double first = std::floor(low / step + 1e-9) * step;
  std::vector<double> ticks;
  for (int i = 0; i < 100; ++i) {
    const double t = first + step * static_cast<double>(i);
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
    if (t >= high - step * 1e-9) break;
  }
  if (ticks.size() < 2) ticks.push_back(ticks.front() + step);
  return ticks;
}

std::string render_line_chart(const LineChart& chart) {
  double x_low = std::numeric_limits<double>::infinity();
  double x_high = -x_low;
  double y_low[2] = {0, 0};
  double y_high[2] = {-x_low, -x_low};
  bool used[2] = {false, false};
  for (const ChartSeries& s : chart.series) {
    const int axis = s.right_axis ? 1 : 0;
    for (const ChartPoint& p : s.points) {
      if (!finite(p)) continue;
      x_low = std::min(x_low, p.x);
      x_high = std::max(x_high, p.x);
      y_low[axis] = std::min(y_low[axis], p.y);
      y_high[axis] = std::max(y_high[axis], p.y);
      used[axis] = true;
    }
    if (s.shape == SeriesShape::kStep && std::isfinite(s.end_x) && !s.points.empty()) x_high = std::max(x_high, s.end_x);
  }
  if (!used[0] && !used[1]) return no_data(chart.title, chart.series.empty() ? "" : chart.series.front().css_class);
  if (std::isfinite(chart.x_from)) x_low = std::min(x_low, chart.x_from);
  if (std::isfinite(chart.x_to)) x_high = std::max(x_high, chart.x_to);

  const std::vector<double> x_ticks = nice_ticks(x_low, x_high);
  const Range xr{x_low, x_high > x_low ? x_high : x_low + 1};
  std::vector<double> y_ticks[2];
  Range yr[2];
  for (int a = 0; a < 2; ++a) {
    if (!used[a]) continue;
    y_ticks[a] = nice_ticks(y_low[a], y_high[a]);
    yr[a] = axis_range(y_ticks[a]);
  }
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  auto sx = [&](double x) { return kLeft + plot_w * (x - xr.low) / xr.span(); };
  auto sy = [&](double y, int a) { return kTop + plot_h * (1 - (y - yr[a].low) / yr[a].span()); };

  std::string out = fmt::format("<svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\"><title>{}</title>", kWidth,
                                kHeight, html_escape(chart.title));
  out += fmt::format("<text class=\"chart-title\" x=\"{}\" y=\"18\">{}</text>", num(kLeft), html_escape(chart.title));
  std::vector<std::pair<std::string, std::string>> keys;
  for (const ChartSeries& s : chart.series) keys.emplace_back(s.label, s.colour);
  out += legend(keys);
  if (used[0]) out += y_axis(y_ticks[0], yr[0], kLeft, false, chart.y_label);
  if (used[1]) out += y_axis(y_ticks[1], yr[1], kWidth - kRight, true, chart.y2_label);
  // The x axis: ticks inside the data's range only (the plot spans exactly the data).
  out += fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", num(kLeft), num(kHeight - kBottom),
                     num(kWidth - kRight), num(kHeight - kBottom));
  const double x_step = x_ticks.size() > 1 ? x_ticks[1] - x_ticks[0] : 1;
  for (const double t : x_ticks) {
    if (t < xr.low - x_step * 1e-9 || t > xr.high + x_step * 1e-9) continue;
    out += fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", num(sx(t)),
                       num(kHeight - kBottom), num(kHeight - kBottom + 5));
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", num(sx(t)),
                       num(kHeight - kBottom + 18), tick_text(t, x_step));
  }
  out += fmt::format("<text class=\"axis-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                     num(kLeft + plot_w / 2), num(kHeight - 8), html_escape(chart.x_label));

  for (const ChartSeries& s : chart.series) {
    const int a = s.right_axis ? 1 : 0;
    std::string d;
    std::vector<double> values;
    std::vector<ChartPoint> pts;
    for (const ChartPoint& p : s.points) {
      if (finite(p)) pts.push_back(p);
    }
    for (std::size_t i = 0; i < pts.size(); ++i) {
      values.push_back(pts[i].y);
      const double x = sx(pts[i].x);
      const double y = sy(pts[i].y, a);
      if (s.shape == SeriesShape::kLine) {
        d += fmt::format("{}{} {}", i == 0 ? "M" : " L", num(x), num(y));
      } else {
        d += i == 0 ? fmt::format("M{} {}", num(x), num(y)) : fmt::format(" H{} V{}", num(x), num(y));
      }
    }
    if (s.shape == SeriesShape::kStep && !pts.empty()) {
      d += fmt::format(" H{}", num(sx(std::isfinite(s.end_x) ? std::max(s.end_x, pts.back().x) : pts.back().x)));
    }
    if (d.empty()) continue;
    auto data = s.data;
    data["count"] = std::to_string(values.size());
    data["values"] = value_list(values);
    data["unit"] = a == 0 ? chart.unit : chart.unit2;
    out += fmt::format("<path class=\"series {}\" d=\"{}\" fill=\"none\" stroke=\"{}\"{}/>", html_escape(s.css_class), d,
                       html_escape(s.colour), data_attributes(data));
  }
  out += "</svg>\n";
  return out;
}

std::string render_bar_chart(const BarChart& chart) {
  double high = 0;
  bool any = false;
  for (const ChartBar& b : chart.bars) {
    if (!std::isfinite(b.value)) continue;
    high = std::max(high, b.value);
    any = true;
  }
  if (!any) return no_data(chart.title, chart.css_class);
  const std::vector<double> ticks = nice_ticks(0, high > 0 ? high : 1);
  const Range r = axis_range(ticks);
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  std::string out = fmt::format("<svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\"><title>{}</title>", kWidth,
                                kHeight, html_escape(chart.title));
  out += fmt::format("<text class=\"chart-title\" x=\"{}\" y=\"18\">{}</text>", num(kLeft), html_escape(chart.title));
  out += y_axis(ticks, r, kLeft, false, chart.y_label);
  out += fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", num(kLeft), num(kHeight - kBottom),
                     num(kWidth - kRight), num(kHeight - kBottom));
  const double slot = plot_w / static_cast<double>(chart.bars.size());
  const double width = std::min(120.0, slot * 0.6);
  for (std::size_t i = 0; i < chart.bars.size(); ++i) {
    const ChartBar& b = chart.bars[i];
    const double cx = kLeft + slot * (static_cast<double>(i) + 0.5);
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", num(cx),
                       num(kHeight - kBottom + 18), html_escape(b.label));
    if (!std::isfinite(b.value)) continue;
    const double h = plot_h * (b.value - r.low) / r.span();
    auto data = b.data;
    data["value"] = fmt::format("{:.6g}", b.value);
    data["unit"] = chart.unit;
    data["label"] = b.label;
    out += fmt::format("<rect class=\"bar {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{}/>", html_escape(chart.css_class),
                       num(cx - width / 2), num(kTop + plot_h - h), num(width), num(h), data_attributes(data));
    out += fmt::format("<text class=\"bar-value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", num(cx),
                       num(kTop + plot_h - h - 6), html_escape(b.value_text));
  }
  out += "</svg>\n";
  return out;
}

}  // namespace chase

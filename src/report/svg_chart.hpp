#pragma once
// A tiny SVG chart writer for the HTML report: line and step series on one or two y axes over a
// shared x axis, and a bar chart, each with axes, labelled ticks and a legend. The output is an
// inline <svg> element (no scripts, no fonts beyond the page's). Every series is one <path> and
// every bar one <rect> carrying its CSS class and data-* attributes (count, values, unit, and
// what the caller adds), so a test or a reader can take the numbers back out of the page.
// Values that are not finite are left out of paths and bars; a chart with no finite value says
// "no data" instead of drawing axes for nothing.

#include <limits>
#include <map>
#include <string>
#include <vector>

namespace chase {

struct ChartPoint {
  double x = 0;
  double y = 0;
};

enum class SeriesShape {
  kLine,  // straight segments through the points
  kStep,  // each point holds its value until the next point's x (the last one until end_x)
};

struct ChartSeries {
  std::string css_class;   // "series-power"
  std::string label;       // legend text
  std::string colour;      // CSS colour of the stroke
  SeriesShape shape = SeriesShape::kLine;
  std::vector<ChartPoint> points;  // by x
  double end_x = 0;        // kStep: where the last value ends
  bool right_axis = false; // plotted against the second y axis
  std::map<std::string, std::string> data;  // extra data-<key> attributes
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::string y2_label;   // the right axis, when a series uses it
  std::string unit;       // data-unit of left-axis series
  std::string unit2;      // data-unit of right-axis series
  std::vector<ChartSeries> series;
  // The x axis spans at least [x_from, x_to] where these are finite (a run from its start to its
  // end), and the data where it reaches further.
  double x_from = std::numeric_limits<double>::quiet_NaN();
  double x_to = std::numeric_limits<double>::quiet_NaN();
};

struct ChartBar {
  std::string label;
  double value = 0;
  std::string value_text;  // printed above the bar
  std::map<std::string, std::string> data;
};

struct BarChart {
  std::string title;
  std::string y_label;
  std::string css_class;  // "bar-energy"
  std::string unit;       // data-unit of each bar
  std::vector<ChartBar> bars;
};

std::string render_line_chart(const LineChart& chart);
std::string render_bar_chart(const BarChart& chart);

// Round tick values covering [low, high]: steps of 1, 2 or 5 × 10^k, about `count` of them.
std::vector<double> nice_ticks(double low, double high, int count = 5);

}  // namespace chase

#pragma once
// Strong unit types. Each quantity stores one SI-ish base unit (named in the accessor) and
// only combines with other quantities where the physics says so: W × s = J, J × g/kWh = g.
// There is no implicit conversion from double, so "power + energy" or "hours where seconds
// were meant" does not compile.

#include <compare>

namespace chase {

// CRTP base: arithmetic between quantities of the same kind returns that kind.
template <class Derived>
class Quantity {
 public:
  constexpr Derived operator+(Derived other) const { return make(value_ + other.value_); }
  constexpr Derived operator-(Derived other) const { return make(value_ - other.value_); }
  constexpr Derived operator-() const { return make(-value_); }
  constexpr Derived& operator+=(Derived other) {
    value_ += other.value_;
    return self();
  }
  constexpr Derived& operator-=(Derived other) {
    value_ -= other.value_;
    return self();
  }
  constexpr Derived operator*(double factor) const { return make(value_ * factor); }
  constexpr Derived operator/(double divisor) const { return make(value_ / divisor); }
  friend constexpr Derived operator*(double factor, Derived q) { return q * factor; }
  // The ratio of two quantities of the same kind is a plain number.
  constexpr double operator/(Derived other) const { return value_ / other.value_; }
  constexpr auto operator<=>(const Quantity&) const = default;
  constexpr bool operator==(const Quantity&) const = default;

 protected:
  static constexpr Derived make(double base_value) {
    Derived d;
    d.value_ = base_value;
    return d;
  }
  constexpr Derived& self() { return static_cast<Derived&>(*this); }

  double value_ = 0.0;
};

// Energy, stored in joules.
class Energy : public Quantity<Energy> {
 public:
  using Quantity<Energy>::operator/;
  static constexpr double kJoulesPerKwh = 3.6e6;
  static constexpr Energy joules(double j) { return make(j); }
  static constexpr Energy millijoules(double mj) { return joules(mj / 1000.0); }
  static constexpr Energy kwh(double k) { return joules(k * kJoulesPerKwh); }
  static constexpr Energy mwh(double m) { return kwh(m * 1000.0); }
  constexpr double joules() const { return value_; }
  constexpr double kwh() const { return value_ / kJoulesPerKwh; }
  constexpr double mwh() const { return kwh() / 1000.0; }
};

// Power, stored in watts.
class Power : public Quantity<Power> {
 public:
  using Quantity<Power>::operator/;
  static constexpr Power watts(double w) { return make(w); }
  static constexpr Power milliwatts(double mw) { return watts(mw / 1000.0); }
  static constexpr Power kilowatts(double kw) { return watts(kw * 1000.0); }
  constexpr double watts() const { return value_; }
  constexpr double kilowatts() const { return value_ / 1000.0; }
};

// Duration, stored in seconds (double: sub-microsecond resolution over years).
class Duration : public Quantity<Duration> {
 public:
  using Quantity<Duration>::operator/;
  static constexpr Duration seconds(double s) { return make(s); }
  static constexpr Duration milliseconds(double ms) { return seconds(ms / 1000.0); }
  static constexpr Duration minutes(double m) { return seconds(m * 60.0); }
  static constexpr Duration hours(double h) { return seconds(h * 3600.0); }
  static constexpr Duration days(double d) { return hours(d * 24.0); }
  constexpr double seconds() const { return value_; }
  constexpr double milliseconds() const { return value_ * 1000.0; }
  constexpr double minutes() const { return value_ / 60.0; }
  constexpr double hours() const { return value_ / 3600.0; }
  constexpr double days() const { return hours() / 24.0; }
};

// Grid carbon intensity, stored in gCO2e per kWh.
class CarbonIntensity : public Quantity<CarbonIntensity> {
 public:
  using Quantity<CarbonIntensity>::operator/;
  static constexpr CarbonIntensity g_per_kwh(double g) { return make(g); }
  static constexpr CarbonIntensity kg_per_kwh(double kg) { return g_per_kwh(kg * 1000.0); }
  constexpr double g_per_kwh() const { return value_; }
  constexpr double kg_per_kwh() const { return value_ / 1000.0; }
};

// Mass of CO2-equivalent, stored in grams.
class Mass : public Quantity<Mass> {
 public:
  using Quantity<Mass>::operator/;
  static constexpr Mass grams(double g) { return make(g); }
  static constexpr Mass kilograms(double kg) { return grams(kg * 1000.0); }
  static constexpr Mass tonnes(double t) { return kilograms(t * 1000.0); }
  constexpr double grams() const { return value_; }
  constexpr double kilograms() const { return value_ / 1000.0; }
  constexpr double tonnes() const { return kilograms() / 1000.0; }
};

// The physically meaningful cross-unit operations.
constexpr Energy operator*(Power p, Duration d) { return Energy::joules(p.watts() * d.seconds()); }
constexpr Energy operator*(Duration d, Power p) { return p * d; }
constexpr Power operator/(Energy e, Duration d) { return Power::watts(e.joules() / d.seconds()); }
constexpr Duration operator/(Energy e, Power p) { return Duration::seconds(e.joules() / p.watts()); }
constexpr Mass operator*(Energy e, CarbonIntensity ci) { return Mass::grams(e.kwh() * ci.g_per_kwh()); }
constexpr Mass operator*(CarbonIntensity ci, Energy e) { return e * ci; }
constexpr CarbonIntensity operator/(Mass m, Energy e) {
  return CarbonIntensity::g_per_kwh(m.grams() / e.kwh());
}

namespace literals {
constexpr Energy operator""_J(long double v) { return Energy::joules(static_cast<double>(v)); }
constexpr Energy operator""_kWh(long double v) { return Energy::kwh(static_cast<double>(v)); }
constexpr Power operator""_W(long double v) { return Power::watts(static_cast<double>(v)); }
constexpr Duration operator""_s(long double v) { return Duration::seconds(static_cast<double>(v)); }
constexpr Duration operator""_h(long double v) { return Duration::hours(static_cast<double>(v)); }
constexpr CarbonIntensity operator""_g_per_kWh(long double v) {
  return CarbonIntensity::g_per_kwh(static_cast<double>(v));
}
constexpr Mass operator""_g(long double v) { return Mass::grams(static_cast<double>(v)); }
}  // namespace literals

}  // namespace chase

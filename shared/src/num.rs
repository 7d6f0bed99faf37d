//! Rounding, done once and in one place, so results are identical natively and in Wasm.
//!
//! The engine computes in `f64` with `+ - * /` only (no transcendental functions, whose
//! results may differ between platforms' maths libraries), then rounds here before
//! anything is shown or stored.

use serde::{Deserialize, Serialize};

/// `x` with exactly one decimal (`47.5`, `40.0`, `-0.3`), rounded half away from zero.
/// Integer arithmetic only, so the same text comes out natively and in Wasm, and the
/// widget needs no float-formatting code.
///
/// ```
/// use aims_engine::num::one_decimal;
/// assert_eq!(one_decimal(47.46), "47.5");
/// assert_eq!(one_decimal(40.0), "40.0");
/// assert_eq!(one_decimal(-0.25), "-0.3");
/// ```
pub fn one_decimal(x: f64) -> String {
    let tenths = round_half_away(x * 10.0);
    if !tenths.is_finite() {
        return "n/a".to_string();
    }
    let tenths = tenths as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

/// `x` with at most three decimals and no trailing zeros (`1.5`, `2`, `0.125`), rounded
/// half away from zero: for every number that has at most three decimals, what
/// `x.to_string()` writes, in integer arithmetic (so the widget carries no float-formatting
/// code). From 10^12 on it is written with an exponent, to four significant digits.
///
/// ```
/// use aims_engine::num::decimal;
/// assert_eq!(decimal(1.5), "1.5");
/// assert_eq!(decimal(40.0), "40");
/// assert_eq!(decimal(1.23456), "1.235");
/// assert_eq!(decimal(-0.0001), "0");
/// assert_eq!(decimal(-1e300), "-1e300");
/// ```
pub fn decimal(x: f64) -> String {
    if !x.is_finite() {
        let text = match x {
            _ if x.is_nan() => "NaN",
            _ if x > 0.0 => "inf",
            _ => "-inf",
        };
        return text.to_string();
    }
    if x.abs() >= 1e12 {
        let (mut mantissa, mut exponent) = (x.abs(), 0);
        while mantissa >= 10.0 {
            mantissa /= 10.0;
            exponent += 1;
        }
        let sign = if x < 0.0 { "-" } else { "" };
        return format!("{sign}{}e{exponent}", decimal(mantissa));
    }
    let milli = round_half_away(x * 1000.0) as i64;
    let sign = if milli < 0 { "-" } else { "" };
    let (whole, fraction) = (milli.unsigned_abs() / 1000, milli.unsigned_abs() % 1000);
    if fraction == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{fraction:03}");
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}

/// Rounds half away from zero to a whole number, like `f64::round`, but without a call
/// into the maths library (on x86-64 without SSE 4.1 that call is a software routine).
/// Exact for |x| < 2^52; beyond that every `f64` is already whole.
pub fn round_half_away(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= 4_503_599_627_370_496.0 {
        return x;
    }
    let whole = x as i64 as f64; // truncates toward zero, exactly
    let rest = x - whole; // exact: both are within 2^52 of each other
    if rest >= 0.5 {
        whole + 1.0
    } else if rest <= -0.5 {
        whole - 1.0
    } else {
        whole
    }
}

/// Rounds half away from zero to `decimals` places (0–3).
pub fn round_to(x: f64, decimals: u8) -> f64 {
    let scale = match decimals {
        0 => 1.0,
        1 => 10.0,
        2 => 100.0,
        _ => 1000.0,
    };
    let r = round_half_away(x * scale) / scale;
    // Never show "-0.0".
    if r == 0.0 { 0.0 } else { r }
}

/// Rounds to a whole number, as `u32` (negative and non-finite values become 0).
pub fn whole(x: f64) -> u32 {
    if x.is_finite() && x > 0.0 {
        let r = round_half_away(x);
        if r >= f64::from(u32::MAX) {
            u32::MAX
        } else {
            r as u32
        }
    } else {
        0
    }
}

/// Rounds up to a whole number, as `u32`, with a tolerance for representation error
/// (4.0000000001 weeks is 4 weeks, not 5).
pub fn whole_up(x: f64) -> u32 {
    if x.is_finite() && x > 0.0 {
        let r = (x - 1e-9).ceil();
        if r >= f64::from(u32::MAX) {
            u32::MAX
        } else {
            r.max(0.0) as u32
        }
    } else {
        0
    }
}

/// A low / likely / high figure with one decimal.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Optimistic.
    pub low: f64,
    /// Most likely.
    pub likely: f64,
    /// Pessimistic.
    pub high: f64,
}

impl Figure {
    pub(crate) fn new(x: [f64; 3]) -> Figure {
        Figure {
            low: round_to(x[0], 1),
            likely: round_to(x[1], 1),
            high: round_to(x[2], 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_like_the_standard_library() {
        let mut x = -1000.0f64;
        while x < 1000.0 {
            assert_eq!(round_half_away(x), x.round(), "{x}");
            assert_eq!(round_half_away(x + 0.5), (x + 0.5).round(), "{x}");
            x += 0.125 / 3.0;
        }
        for x in [
            0.499_999_999_999_999_94,
            -0.499_999_999_999_999_94,
            2.5,
            -2.5,
            1e300,
            -0.0,
            f64::MAX,
        ] {
            assert_eq!(round_half_away(x), x.round(), "{x}");
        }
        assert!(round_half_away(f64::NAN).is_nan());
    }

    #[test]
    fn decimals_are_written_as_the_standard_library_writes_them() {
        for thousandths in -200_000..=200_000 {
            let x = f64::from(thousandths) / 1000.0;
            assert_eq!(decimal(x), x.to_string(), "{x}");
        }
        for x in [500.0, 1e9 + 0.5, 123_456_789.125] {
            assert_eq!(decimal(x), x.to_string(), "{x}");
        }
        // More decimals are rounded to three.
        assert_eq!(decimal(0.1 + 0.2), "0.3");
        assert_eq!(decimal(1e300), "1e300");
        assert_eq!(decimal(f64::MAX), "1.798e308");
        assert_eq!(decimal(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round_to(2.25, 1), 2.3);
        assert_eq!(round_to(-0.04, 1), 0.0);
        assert_eq!(whole(2.5), 3);
        assert_eq!(whole(-3.0), 0);
        assert_eq!(whole_up(4.000_000_000_1), 4);
        assert_eq!(whole_up(4.01), 5);
    }
}

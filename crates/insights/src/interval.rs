//! The 90% interval shown beside every estimated probability.

use serde::{Deserialize, Serialize};

/// The confidence level of [`wilson`].
pub const CONFIDENCE: f64 = 0.90;

/// The standard normal quantile for a two-sided 90% interval.
const Z_90: f64 = 1.644_853_626_951_472_2;

/// A probability interval, both ends within `0..=1`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

/// The Wilson score interval at 90% for `events` out of `trials`, or
/// `None` without trials.
///
/// Wilson rather than the textbook normal (Wald) interval: most moves in a
/// company are rare, and Wald collapses to `[0, 0]` when none was seen and
/// runs past 0 or 1 for small counts, while Wilson stays inside `0..=1`,
/// gives a non-zero upper end for zero events and keeps close to its stated
/// coverage for small samples. It needs no special functions, unlike the
/// Clopper–Pearson (beta) interval, which is wider than it needs to be.
pub fn wilson(events: u64, trials: u64) -> Option<Interval> {
    if trials == 0 {
        return None;
    }
    let events = events.min(trials);
    let n = trials as f64;
    let p = events as f64 / n;
    let z2 = Z_90 * Z_90;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z_90 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    // At zero events (or all) one end is exactly 0 (or 1) in exact
    // arithmetic; pin it rather than keep a rounding residue.
    let low = if events == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if events == trials {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some(Interval { low, high })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn no_trials_give_no_interval() {
        assert_eq!(wilson(0, 0), None);
    }

    #[test]
    fn two_out_of_ten_matches_the_wilson_formula_worked_by_hand() {
        // z = 1.6448536, z² = 2.7055434; p = 0.2, n = 10:
        // denominator 1.27055434, centre (0.2 + 0.13527717) / 1.27055434 = 0.263883,
        // half 1.6448536 * sqrt(0.016 + 0.00676386) / 1.27055434 = 0.195324.
        let interval = wilson(2, 10).expect("trials");
        assert!(close(interval.low, 0.068_558), "{interval:?}");
        assert!(close(interval.high, 0.459_207), "{interval:?}");
    }

    #[test]
    fn zero_events_start_at_zero_and_still_allow_some_probability() {
        let interval = wilson(0, 20).expect("trials");
        assert_eq!(interval.low, 0.0);
        // z² / (n + z²) = 2.7055434 / 22.7055434
        assert!(close(interval.high, 0.119_158), "{interval:?}");
    }

    #[test]
    fn all_events_end_at_one() {
        let interval = wilson(5, 5).expect("trials");
        assert_eq!(interval.high, 1.0);
        assert!(interval.low > 0.5 && interval.low < 1.0);
    }
}

//! When a failed delivery is tried again: the wait doubles from `first` up
//! to `cap`, each wait drawn between half and all of it (jitter, so that
//! deliveries failing together do not come back together), and a delivery
//! whose next try would come later than `give_up` after the event is given
//! up and marked failed.

use std::time::Duration;

/// The retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// The wait after the first failure (before jitter).
    pub first: Duration,
    /// The longest wait between two tries.
    pub cap: Duration,
    /// How long after the event the last try may start.
    pub give_up: Duration,
}

impl Default for Schedule {
    /// 5 s, doubling up to 1 h, given up after 24 h.
    fn default() -> Self {
        Self {
            first: Duration::from_secs(5),
            cap: Duration::from_secs(3600),
            give_up: Duration::from_secs(24 * 3600),
        }
    }
}

/// What to do after a failed try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Try again after this wait.
    RetryAfter(Duration),
    /// Stop: the delivery failed.
    GiveUp,
}

impl Schedule {
    /// The wait after `failures` failed tries (1 after the first), before
    /// jitter.
    pub fn wait(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(32);
        self.first
            .saturating_mul(1u32 << doublings.min(31))
            .min(self.cap)
    }

    /// What follows the `failures`-th failed try of a delivery whose event
    /// is `age` old; `jitter` in `[0, 1]` (clamped) picks the wait between
    /// half and all of [`Schedule::wait`].
    pub fn after_failure(&self, failures: u32, age: Duration, jitter: f64) -> Next {
        let full = self.wait(failures);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let wait = full / 2 + (full / 2).mul_f64(jitter);
        if age.saturating_add(wait) > self.give_up {
            Next::GiveUp
        } else {
            Next::RetryAfter(wait)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn waits_double_up_to_the_cap() {
        let s = Schedule::default();
        let waits: Vec<u64> = (1..=12).map(|n| s.wait(n).as_secs()).collect();
        assert_eq!(
            waits,
            [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
        );
        assert_eq!(s.wait(u32::MAX), S(3600));
        assert_eq!(s.wait(0), S(5));
    }

    #[test]
    fn jitter_keeps_the_wait_between_half_and_all() {
        let s = Schedule::default();
        assert_eq!(s.after_failure(3, S(0), 0.0), Next::RetryAfter(S(10)));
        assert_eq!(s.after_failure(3, S(0), 1.0), Next::RetryAfter(S(20)));
        assert_eq!(s.after_failure(3, S(0), 7.0), Next::RetryAfter(S(20)));
        assert_eq!(s.after_failure(3, S(0), f64::NAN), Next::RetryAfter(S(10)));
        let Next::RetryAfter(mid) = s.after_failure(3, S(0), 0.5) else {
            panic!("young deliveries are retried")
        };
        assert_eq!(mid, S(15));
    }

    #[test]
    fn gives_up_when_the_next_try_falls_after_the_deadline() {
        let s = Schedule {
            first: S(10),
            cap: S(60),
            give_up: S(100),
        };
        assert_eq!(s.after_failure(1, S(90), 0.0), Next::RetryAfter(S(5)));
        assert_eq!(s.after_failure(1, S(96), 0.0), Next::GiveUp);
        let now = Schedule { give_up: S(0), ..s };
        assert_eq!(now.after_failure(1, S(0), 0.0), Next::GiveUp);
    }

    #[test]
    fn tries_over_a_day_are_a_few_dozen() {
        let s = Schedule::default();
        let (mut age, mut tries) = (Duration::ZERO, 1);
        while let Next::RetryAfter(wait) = s.after_failure(tries, age, 1.0) {
            age += wait;
            tries += 1;
        }
        assert!((25..=40).contains(&tries), "{tries} tries");
    }
}

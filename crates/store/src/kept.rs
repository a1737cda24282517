//! Reads over a whole review cycle (who signed each review, the
//! calibration's counts) kept until the audit log moves. At a hundred
//! thousand reviews each is a scan of tens of milliseconds; the answer
//! changes only with a write to the reviews, and every such write appends
//! an audit event in its own transaction. So the log's last sequence
//! number, one index lookup, versions them for every instance sharing the
//! database: a read after any write, here or in another process, reads
//! again.
//!
//! The version is read before the data: a write committed in between makes
//! the data newer than its version, never older, and the next read, seeing
//! the newer version, reads again.

use std::sync::{Arc, Mutex};

use climb_management::review::CycleId;

/// One read kept: the audit log's last sequence number it was made at, the
/// cycle it is about, and its answer.
#[derive(Debug)]
pub(crate) struct Kept<T>(Mutex<Option<(i64, CycleId, Arc<T>)>>);

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

impl<T> Kept<T> {
    /// The answer kept for `cycle` when the log is still at `head`.
    pub(crate) fn get(&self, head: i64, cycle: CycleId) -> Option<Arc<T>> {
        let kept = self.0.lock().ok()?;
        kept.as_ref()
            .filter(|(at, of, _)| *at == head && *of == cycle)
            .map(|(_, _, value)| Arc::clone(value))
    }

    /// Keeps `value`, read for `cycle` with the log at `head`.
    pub(crate) fn put(&self, head: i64, cycle: CycleId, value: Arc<T>) {
        if let Ok(mut kept) = self.0.lock() {
            *kept = Some((head, cycle, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_read_answers_only_for_its_cycle_at_its_version() {
        let kept = Kept::default();
        assert_eq!(kept.get(7, CycleId(1)), None);
        kept.put(7, CycleId(1), Arc::new(vec![1, 2]));
        assert_eq!(kept.get(7, CycleId(1)).as_deref(), Some(&vec![1, 2]));
        assert_eq!(kept.get(8, CycleId(1)), None, "the log moved");
        assert_eq!(kept.get(7, CycleId(2)), None, "another cycle");
        kept.put(8, CycleId(2), Arc::new(vec![3]));
        assert_eq!(kept.get(7, CycleId(1)), None, "one read kept at a time");
        assert_eq!(kept.get(8, CycleId(2)).as_deref(), Some(&vec![3]));
    }
}

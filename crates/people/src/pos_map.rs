//! A map from person id to a `u32` (a slot in the org index). Database ids
//! are nearly dense, so it is a flat table indexed by `id - base` when the
//! ids allow it, and a hash map otherwise: lookups without hashing.

use crate::fast_hash::FastMap;
use crate::id::PersonId;

const NONE: u32 = u32::MAX;

/// Slack allowed in a flat table: ids spread over more than
/// `SPREAD * len + SLACK` slots use a hash map instead.
const SPREAD: i64 = 4;
const SLACK: i64 = 1024;

/// Person id → slot.
#[derive(Debug, Clone)]
pub(crate) enum PosMap {
    /// `slots[id - base]`, `NONE` when absent.
    Dense {
        base: i64,
        slots: Vec<u32>,
        len: usize,
    },
    /// Any ids.
    Sparse(FastMap<PersonId, u32>),
}

impl Default for PosMap {
    fn default() -> Self {
        Self::Dense {
            base: 0,
            slots: Vec::new(),
            len: 0,
        }
    }
}

impl PosMap {
    /// An empty map suited to ids between `min` and `max` for `n` entries.
    pub(crate) fn for_ids(min: PersonId, max: PersonId, n: usize) -> Self {
        let span = i128::from(max.0) - i128::from(min.0) + 1;
        let limit = i128::from(SPREAD) * n as i128 + i128::from(SLACK);
        if n == 0 {
            return Self::default();
        }
        match usize::try_from(span) {
            Ok(span) if (span as i128) <= limit => Self::Dense {
                base: min.0,
                slots: vec![NONE; span],
                len: 0,
            },
            _ => Self::Sparse(FastMap::with_capacity_and_hasher(n, Default::default())),
        }
    }

    #[inline]
    fn slot(base: i64, id: PersonId) -> Option<usize> {
        id.0.checked_sub(base).and_then(|d| usize::try_from(d).ok())
    }

    #[inline]
    pub(crate) fn get(&self, id: PersonId) -> Option<u32> {
        match self {
            Self::Dense { base, slots, .. } => Self::slot(*base, id)
                .and_then(|i| slots.get(i).copied())
                .filter(|&v| v != NONE),
            Self::Sparse(map) => map.get(&id).copied(),
        }
    }

    pub(crate) fn insert(&mut self, id: PersonId, value: u32) {
        if let Self::Dense { base, slots, len } = self {
            let fits = if slots.is_empty() && *len == 0 {
                *base = id.0;
                Some(0)
            } else {
                // Inside the table, or close enough to its size to grow it.
                Self::slot(*base, id)
                    .filter(|&i| i < slots.len() || (i as i64) < SPREAD * (*len as i64 + 1) + SLACK)
            };
            if let Some(i) = fits {
                if i >= slots.len() {
                    slots.resize(i + 1, NONE);
                }
                if slots[i] == NONE {
                    *len += 1;
                }
                slots[i] = value;
                return;
            }
            self.make_sparse();
        }
        if let Self::Sparse(map) = self {
            map.insert(id, value);
        }
    }

    pub(crate) fn remove(&mut self, id: PersonId) {
        match self {
            Self::Dense { base, slots, len } => {
                if let Some(slot) = Self::slot(*base, id).and_then(|i| slots.get_mut(i))
                    && *slot != NONE
                {
                    *slot = NONE;
                    *len -= 1;
                }
            }
            Self::Sparse(map) => {
                map.remove(&id);
            }
        }
    }

    fn make_sparse(&mut self) {
        if let Self::Dense { base, slots, len } = self {
            let mut map = FastMap::with_capacity_and_hasher(*len, Default::default());
            for (i, &v) in slots.iter().enumerate() {
                if v != NONE {
                    map.insert(PersonId(*base + i as i64), v);
                }
            }
            *self = Self::Sparse(map);
        }
    }

    /// Heap bytes held (estimate for hash maps: pairs plus control bytes).
    pub(crate) fn bytes(&self) -> usize {
        match self {
            Self::Dense { slots, .. } => slots.capacity() * size_of::<u32>(),
            Self::Sparse(map) => {
                let buckets = (map.capacity() * 8 / 7).next_power_of_two();
                buckets * (size_of::<(PersonId, u32)>() + 1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_ids_use_a_flat_table_and_far_ids_fall_back_to_hashing() {
        let mut map = PosMap::for_ids(PersonId(10), PersonId(19), 10);
        assert!(matches!(map, PosMap::Dense { .. }));
        map.insert(PersonId(12), 3);
        map.insert(PersonId(25), 4);
        assert_eq!(map.get(PersonId(12)), Some(3));
        assert_eq!(map.get(PersonId(25)), Some(4));
        assert_eq!(map.get(PersonId(9)), None);
        map.insert(PersonId(-5), 7);
        assert!(matches!(map, PosMap::Sparse(_)));
        assert_eq!(map.get(PersonId(12)), Some(3));
        assert_eq!(map.get(PersonId(-5)), Some(7));
        map.remove(PersonId(12));
        assert_eq!(
            (map.get(PersonId(12)), map.get(PersonId(25))),
            (None, Some(4))
        );
    }

    #[test]
    fn a_table_sized_for_its_ids_stays_flat_whatever_the_insertion_order() {
        let mut map = PosMap::for_ids(PersonId(1), PersonId(100_000), 100_000);
        for (i, id) in (1..=100_000).rev().enumerate() {
            map.insert(PersonId(id), i as u32);
        }
        assert!(matches!(map, PosMap::Dense { .. }));
        assert_eq!(map.bytes(), 400_000);
    }

    #[test]
    fn an_empty_dense_map_starts_at_the_first_id_inserted() {
        let mut map = PosMap::default();
        map.insert(PersonId(1_000_000), 0);
        map.insert(PersonId(1_000_001), 1);
        assert!(matches!(map, PosMap::Dense { .. }));
        assert_eq!(map.get(PersonId(1_000_001)), Some(1));
        assert!(map.bytes() < 64);
    }
}

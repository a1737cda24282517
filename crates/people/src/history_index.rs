//! The history index: everyone the org has recorded (active or not) and
//! their role history in flat arrays, for the analytics that read every
//! person's history.
//!
//! The org keeps the role history as the domain sees it, a vector of
//! [`RoleChange`]s per person in a hash map, with role ids as strings;
//! reading it for a million people costs a hash lookup and a few cache
//! misses per person, and each role is then looked up by name. The index
//! keeps the same facts as numbers:
//!
//! - people get a dense **row** (`0..len`) in the order they were first
//!   hired; per row, struct-of-arrays: the person's id, first and last day
//!   (as day numbers), whether they are active, their manager (for a
//!   leaver, the last one) and where their entries are;
//! - **entries**: one slice per person, oldest first, in four parallel
//!   vectors (day, role, role before, reason), the rows' slices in one
//!   buffer each;
//! - **roles**: interned to small integers in the order first seen, a
//!   slot per distinct role id; a caller maps the few slots to its
//!   framework's roles once per question, not once per entry.
//!
//! Upkeep is incremental, change by change, as the org applies them
//! ([`crate::Org::apply`]): a hire appends a row and an entry, a leaving or
//! a manager change writes one cell, and a role change moves the person's
//! few entries to the end of the buffer with the new one in date order
//! (the old slice becomes garbage; the buffer is compacted when garbage
//! outweighs the live entries, so the cost stays amortised O(entries of
//! the person)). Nothing is ever rebuilt from the org.

use chrono::{Datelike, NaiveDate};
use climb_framework::RoleId;

use crate::fast_hash::FastMap;
use crate::id::PersonId;
use crate::person::{ChangeReason, Person, RoleChange, Status};
use crate::pos_map::PosMap;

/// The role slot of "no role" (the role before a hire).
pub const NO_ROLE: u32 = u32::MAX;

/// The day number of "no last day yet".
const NO_END: i32 = i32::MAX;

/// The raw id of "no manager".
const NO_MANAGER: i64 = i64::MIN;

/// Garbage entries tolerated before a compaction, whatever the size.
const GARBAGE_SLACK: usize = 1024;

/// A date as a day number (days from the first day of the common era), the
/// unit of every date the index keeps.
#[inline]
pub fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// The date of a day number from [`day_number`].
#[inline]
pub fn date_of(day: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
}

/// One person's entries, oldest first: parallel slices of equal length.
#[derive(Debug, Clone, Copy)]
pub struct Entries<'a> {
    /// The day each role took effect.
    pub days: &'a [i32],
    /// The role held from that day (a role slot of [`HistoryIndex::roles`]).
    pub to: &'a [u32],
    /// The role held before, [`NO_ROLE`] for a hire.
    pub from: &'a [u32],
    /// Why it changed.
    pub reasons: &'a [ChangeReason],
}

impl Entries<'_> {
    /// Number of entries.
    #[inline]
    pub fn len(&self) -> usize {
        self.days.len()
    }

    /// Whether there is none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// Number of entries that took effect on or before `day`.
    #[inline]
    pub fn seen_by(&self, day: i32) -> usize {
        self.days.partition_point(|&d| d <= day)
    }
}

/// Everyone's role history as flat arrays; see the module doc.
#[derive(Debug, Clone, Default)]
pub struct HistoryIndex {
    /// Row of each person id.
    row_of: PosMap,
    ids: Vec<PersonId>,
    start: Vec<i32>,
    /// Last day worked, [`NO_END`] before leaving.
    end: Vec<i32>,
    active: Vec<bool>,
    /// Raw id of the (last) manager, [`NO_MANAGER`] for none.
    manager: Vec<i64>,
    /// First entry of each row in the entry buffers.
    first: Vec<u32>,
    /// Number of entries of each row.
    count: Vec<u32>,
    days: Vec<i32>,
    to: Vec<u32>,
    from: Vec<u32>,
    reasons: Vec<ChangeReason>,
    /// Entries no row points at any more.
    garbage: usize,
    roles: Vec<RoleId>,
    role_slot: FastMap<RoleId, u32>,
}

impl HistoryIndex {
    /// Number of people (rows), active or not.
    #[inline]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether nobody was ever hired.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The row of a person, if the org knows them.
    #[inline]
    pub fn row(&self, person: PersonId) -> Option<u32> {
        self.row_of.get(person)
    }

    /// The person in a row.
    #[inline]
    pub fn id(&self, row: u32) -> PersonId {
        self.ids[row as usize]
    }

    /// First days, by row (day numbers).
    #[inline]
    pub fn start_days(&self) -> &[i32] {
        &self.start
    }

    /// The first day of a row's person.
    #[inline]
    pub fn start_day(&self, row: u32) -> i32 {
        self.start[row as usize]
    }

    /// The last day of a row's person, once they left.
    #[inline]
    pub fn end_day(&self, row: u32) -> Option<i32> {
        let end = self.end[row as usize];
        (end != NO_END).then_some(end)
    }

    /// Whether each row's person is active, by row.
    #[inline]
    pub fn active(&self) -> &[bool] {
        &self.active
    }

    /// Whether a row's person is active.
    #[inline]
    pub fn is_active(&self, row: u32) -> bool {
        self.active[row as usize]
    }

    /// The manager of a row's person (for a leaver, the last one).
    #[inline]
    pub fn manager(&self, row: u32) -> Option<PersonId> {
        let raw = self.manager[row as usize];
        (raw != NO_MANAGER).then_some(PersonId(raw))
    }

    /// The row of a row's manager, when the org knows them.
    #[inline]
    pub fn manager_row(&self, row: u32) -> Option<u32> {
        self.manager(row).and_then(|m| self.row(m))
    }

    /// A row's entries, oldest first.
    #[inline]
    pub fn entries(&self, row: u32) -> Entries<'_> {
        let first = self.first[row as usize] as usize;
        let range = first..first + self.count[row as usize] as usize;
        Entries {
            days: &self.days[range.clone()],
            to: &self.to[range.clone()],
            from: &self.from[range.clone()],
            reasons: &self.reasons[range],
        }
    }

    /// The role ids, by slot.
    #[inline]
    pub fn roles(&self) -> &[RoleId] {
        &self.roles
    }

    /// The role slot a row's person held on `day`, as
    /// `climb_insights`' reading of the history: none before the first day
    /// or after the last, else the latest entry on or before the day (the
    /// first entry when the history starts later).
    #[inline]
    pub fn role_on(&self, row: u32, day: i32) -> Option<u32> {
        let r = row as usize;
        if day < self.start[r] || day > self.end[r] {
            return None;
        }
        let entries = self.entries(row);
        let held = entries.seen_by(day);
        entries.to.get(held.saturating_sub(1)).copied()
    }

    /// Heap bytes held: every vector's capacity and the interned roles.
    pub fn memory_bytes(&self) -> usize {
        use std::mem::size_of;
        let rows = self.ids.capacity() * size_of::<PersonId>()
            + self.start.capacity() * size_of::<i32>()
            + self.end.capacity() * size_of::<i32>()
            + self.active.capacity()
            + self.manager.capacity() * size_of::<i64>()
            + self.first.capacity() * size_of::<u32>()
            + self.count.capacity() * size_of::<u32>();
        let entries = self.days.capacity() * size_of::<i32>()
            + self.to.capacity() * size_of::<u32>()
            + self.from.capacity() * size_of::<u32>()
            + self.reasons.capacity() * size_of::<ChangeReason>();
        let roles = self.roles.capacity() * size_of::<RoleId>()
            + self
                .roles
                .iter()
                .map(|r| 2 * r.as_str().len())
                .sum::<usize>()
            + (self.role_slot.capacity() * 8 / 7).next_power_of_two()
                * (size_of::<(RoleId, u32)>() + 1);
        self.row_of.bytes() + rows + entries + roles
    }

    /// Gives back the vectors' spare capacity (after a bulk load).
    pub(crate) fn shrink_to_fit(&mut self) {
        if self.garbage > 0 {
            self.compact();
        }
        self.ids.shrink_to_fit();
        self.start.shrink_to_fit();
        self.end.shrink_to_fit();
        self.active.shrink_to_fit();
        self.manager.shrink_to_fit();
        self.first.shrink_to_fit();
        self.count.shrink_to_fit();
        self.days.shrink_to_fit();
        self.to.shrink_to_fit();
        self.from.shrink_to_fit();
        self.reasons.shrink_to_fit();
    }

    fn intern(&mut self, role: &RoleId) -> u32 {
        if let Some(&slot) = self.role_slot.get(role) {
            return slot;
        }
        let slot = u32::try_from(self.roles.len()).unwrap_or(NO_ROLE - 1);
        self.roles.push(role.clone());
        self.role_slot.insert(role.clone(), slot);
        slot
    }

    /// A hire: a new row, or the row of the same id reset (a hire replaces
    /// whatever the org knew of the id, history included).
    pub(crate) fn hire(&mut self, person: &Person, role: &RoleChange) {
        let end = person.end_date.map_or(NO_END, day_number);
        let manager = person.manager.map_or(NO_MANAGER, PersonId::get);
        let row = match self.row_of.get(person.id) {
            Some(row) => {
                let r = row as usize;
                self.start[r] = day_number(person.start_date);
                self.end[r] = end;
                self.active[r] = person.status == Status::Active;
                self.manager[r] = manager;
                self.garbage += self.count[r] as usize;
                self.count[r] = 0;
                row
            }
            None => {
                let row = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
                self.row_of.insert(person.id, row);
                self.ids.push(person.id);
                self.start.push(day_number(person.start_date));
                self.end.push(end);
                self.active.push(person.status == Status::Active);
                self.manager.push(manager);
                self.first.push(0);
                self.count.push(0);
                row
            }
        };
        let entry = self.entry(role);
        let r = row as usize;
        self.first[r] = u32::try_from(self.days.len()).unwrap_or(u32::MAX);
        self.count[r] = 1;
        self.push(entry);
        self.compact_if_worth_it();
    }

    /// A role change of someone hired: their entries move to the end of the
    /// buffers with the new one in date order (after those of the same
    /// day). A change for an id never hired is left out, as the analytics
    /// read nobody the org does not know (a later hire resets it anyway).
    pub(crate) fn role_changed(&mut self, change: &RoleChange) {
        let Some(row) = self.row_of.get(change.person) else {
            return;
        };
        let r = row as usize;
        let entry = self.entry(change);
        let first = self.first[r] as usize;
        let count = self.count[r] as usize;
        let at = first + self.days[first..first + count].partition_point(|&d| d <= entry.0);
        if first + count == self.days.len() {
            // The last slice of the buffers: insert in place.
            self.days.insert(at, entry.0);
            self.to.insert(at, entry.1);
            self.from.insert(at, entry.2);
            self.reasons.insert(at, entry.3);
        } else {
            let new_first = self.days.len();
            for i in first..at {
                self.copy_entry(i);
            }
            self.push(entry);
            for i in at..first + count {
                self.copy_entry(i);
            }
            self.first[r] = u32::try_from(new_first).unwrap_or(u32::MAX);
            self.garbage += count;
        }
        self.count[r] = u32::try_from(count + 1).unwrap_or(u32::MAX);
        self.compact_if_worth_it();
    }

    /// A leaving: the last day, and the person no longer active.
    pub(crate) fn left(&mut self, person: PersonId, date: NaiveDate) {
        if let Some(row) = self.row_of.get(person) {
            self.end[row as usize] = day_number(date);
            self.active[row as usize] = false;
        }
    }

    /// A manager change.
    pub(crate) fn manager_changed(&mut self, person: PersonId, to: Option<PersonId>) {
        if let Some(row) = self.row_of.get(person) {
            self.manager[row as usize] = to.map_or(NO_MANAGER, PersonId::get);
        }
    }

    fn entry(&mut self, change: &RoleChange) -> (i32, u32, u32, ChangeReason) {
        let to = self.intern(&change.to);
        let from = change.from.as_ref().map_or(NO_ROLE, |r| self.intern(r));
        (day_number(change.effective_date), to, from, change.reason)
    }

    fn push(&mut self, (day, to, from, reason): (i32, u32, u32, ChangeReason)) {
        self.days.push(day);
        self.to.push(to);
        self.from.push(from);
        self.reasons.push(reason);
    }

    fn copy_entry(&mut self, i: usize) {
        let entry = (self.days[i], self.to[i], self.from[i], self.reasons[i]);
        self.push(entry);
    }

    fn compact_if_worth_it(&mut self) {
        if self.garbage > GARBAGE_SLACK && self.garbage > self.days.len() / 2 {
            self.compact();
        }
    }

    /// Rewrites the entry buffers with the rows' slices in row order and
    /// no garbage.
    fn compact(&mut self) {
        let live = self.days.len() - self.garbage;
        let mut days = Vec::with_capacity(live);
        let mut to = Vec::with_capacity(live);
        let mut from = Vec::with_capacity(live);
        let mut reasons = Vec::with_capacity(live);
        for r in 0..self.ids.len() {
            let first = self.first[r] as usize;
            let range = first..first + self.count[r] as usize;
            self.first[r] = u32::try_from(days.len()).unwrap_or(u32::MAX);
            days.extend_from_slice(&self.days[range.clone()]);
            to.extend_from_slice(&self.to[range.clone()]);
            from.extend_from_slice(&self.from[range.clone()]);
            reasons.extend_from_slice(&self.reasons[range]);
        }
        self.days = days;
        self.to = to;
        self.from = from;
        self.reasons = reasons;
        self.garbage = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::email::Email;

    fn day(raw: &str) -> NaiveDate {
        raw.parse().unwrap_or(NaiveDate::MIN)
    }

    fn role(raw: &str) -> RoleId {
        RoleId::parse(raw).unwrap_or_else(|e| panic!("{e}"))
    }

    fn hire(index: &mut HistoryIndex, id: i64, to: &str, start: &str) {
        let person = Person {
            id: PersonId(id),
            name: format!("P{id}"),
            email: Email::parse(&format!("p{id}@example.com")).unwrap_or_else(|e| panic!("{e}")),
            status: Status::Active,
            role: role(to),
            manager: None,
            start_date: day(start),
            end_date: None,
        };
        let change = RoleChange {
            person: PersonId(id),
            from: None,
            to: role(to),
            effective_date: day(start),
            reason: ChangeReason::Hire,
            note: None,
            proposal: None,
        };
        index.hire(&person, &change);
    }

    fn change(index: &mut HistoryIndex, id: i64, from: &str, to: &str, on: &str) {
        index.role_changed(&RoleChange {
            person: PersonId(id),
            from: Some(role(from)),
            to: role(to),
            effective_date: day(on),
            reason: ChangeReason::Promotion,
            note: None,
            proposal: None,
        });
    }

    fn roles_of(index: &HistoryIndex, id: i64) -> Vec<(NaiveDate, String)> {
        let row = index.row(PersonId(id)).unwrap_or(u32::MAX);
        let entries = index.entries(row);
        entries
            .days
            .iter()
            .zip(entries.to)
            .map(|(&d, &r)| {
                (
                    date_of(d).unwrap_or(NaiveDate::MIN),
                    index.roles()[r as usize].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn changes_out_of_order_and_interleaved_keep_each_history_in_date_order() {
        let mut index = HistoryIndex::default();
        hire(&mut index, 1, "a", "2020-01-01");
        hire(&mut index, 2, "a", "2020-01-01");
        change(&mut index, 1, "a", "b", "2021-01-01");
        change(&mut index, 2, "a", "c", "2022-01-01");
        // Late: before the latest entry, moved with the others.
        change(&mut index, 1, "a", "c", "2020-06-01");
        change(&mut index, 2, "a", "b", "2021-01-01");
        assert_eq!(
            roles_of(&index, 1),
            vec![
                (day("2020-01-01"), "a".to_owned()),
                (day("2020-06-01"), "c".to_owned()),
                (day("2021-01-01"), "b".to_owned()),
            ]
        );
        assert_eq!(
            roles_of(&index, 2),
            vec![
                (day("2020-01-01"), "a".to_owned()),
                (day("2021-01-01"), "b".to_owned()),
                (day("2022-01-01"), "c".to_owned()),
            ]
        );
        assert_eq!(index.roles().len(), 3);
        assert_eq!(index.role_on(0, day_number(day("2020-07-01"))), Some(2));
        assert_eq!(index.role_on(0, day_number(day("2019-07-01"))), None);
    }

    #[test]
    fn garbage_is_compacted_and_histories_survive_it() {
        let mut index = HistoryIndex::default();
        for id in 0..100 {
            hire(&mut index, id, "a", "2020-01-01");
        }
        for round in 0..40 {
            for id in 0..100 {
                let on = NaiveDate::from_ymd_opt(2021 + round, 1, 1).unwrap_or(NaiveDate::MIN);
                change(&mut index, id, "a", "b", &on.to_string());
            }
        }
        assert!(index.garbage <= GARBAGE_SLACK.max(index.days.len() / 2));
        for id in 0..100 {
            assert_eq!(roles_of(&index, id).len(), 41);
        }
        index.shrink_to_fit();
        assert_eq!(index.days.len(), 4100);
        assert_eq!(roles_of(&index, 99).len(), 41);
    }

    #[test]
    fn a_leaving_ends_and_a_rehire_resets() {
        let mut index = HistoryIndex::default();
        hire(&mut index, 7, "a", "2020-01-01");
        change(&mut index, 7, "a", "b", "2021-01-01");
        index.left(PersonId(7), day("2022-01-01"));
        assert_eq!(index.end_day(0), Some(day_number(day("2022-01-01"))));
        assert!(!index.is_active(0));
        assert_eq!(index.role_on(0, day_number(day("2022-01-02"))), None);
        hire(&mut index, 7, "c", "2023-01-01");
        assert_eq!(index.len(), 1);
        assert!(index.is_active(0));
        assert_eq!(
            roles_of(&index, 7),
            vec![(day("2023-01-01"), "c".to_owned())]
        );
        // A change for someone never hired is not kept.
        change(&mut index, 8, "a", "b", "2021-01-01");
        assert_eq!(index.row(PersonId(8)), None);
    }
}

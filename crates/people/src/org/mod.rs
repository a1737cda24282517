//! The in-memory state of the company: people, their role history, projects
//! and active designations, with the [`OrgIndex`] of the reporting tree.
//! [`Org::decide`] checks a command against the rules and returns the changes
//! without mutating; [`Org::apply`] applies a persisted change.

mod apply;
mod decide;

use std::collections::{BTreeMap, HashMap};

use climb_framework::{DesignationId, Framework};

use crate::email::Email;
use crate::history_index::HistoryIndex;
use crate::id::{PersonId, ProjectId};
use crate::org_index::{OrgIndex, OrgSummary};
use crate::person::{Person, RoleChange};
use crate::project::{Assignment, Project};

/// The company as the domain sees it.
#[derive(Debug, Clone, Default)]
pub struct Org {
    people: HashMap<PersonId, Person>,
    history: HashMap<PersonId, Vec<RoleChange>>,
    emails: HashMap<Email, PersonId>,
    projects: BTreeMap<ProjectId, Project>,
    /// Active designations by project and designation: one holder each.
    designations: BTreeMap<ProjectId, BTreeMap<DesignationId, Assignment>>,
    index: OrgIndex,
    /// Everyone's role history again, as flat arrays for the analytics.
    history_index: HistoryIndex,
    /// How many changes have been applied: what is derived from the org
    /// can be kept until it moves.
    revision: u64,
}

impl Org {
    /// An empty company.
    pub fn new() -> Self {
        Self::default()
    }

    /// A company rebuilt from its persisted changes, in order.
    pub fn from_changes<'a>(changes: impl IntoIterator<Item = &'a crate::Change>) -> Self {
        let mut org = Self::new();
        org.apply_all(changes);
        org
    }

    /// How many changes this org has applied since it was empty. Two reads
    /// of one org with the same revision see the same state, so anything
    /// derived from it (the directory's orders) can be kept per revision.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The person with this id, active or not.
    pub fn person(&self, id: PersonId) -> Option<&Person> {
        self.people.get(&id)
    }

    /// Everyone, active or not, in no particular order.
    pub fn people(&self) -> impl Iterator<Item = &Person> + '_ {
        self.people.values()
    }

    /// The number of people recorded, active or not.
    pub fn people_count(&self) -> usize {
        self.people.len()
    }

    /// The person using this email (compared normalised).
    pub fn person_by_email(&self, email: &Email) -> Option<&Person> {
        self.emails.get(email).and_then(|id| self.people.get(id))
    }

    /// A person's role history, oldest first (empty for an unknown id).
    pub fn history(&self, person: PersonId) -> &[RoleChange] {
        self.history.get(&person).map_or(&[], Vec::as_slice)
    }

    /// The active people who report directly to `person`, in id order.
    pub fn reports(&self, person: PersonId) -> Vec<PersonId> {
        let mut reports = self.index.direct_reports(person).unwrap_or_default();
        reports.sort_unstable();
        reports
    }

    /// The project with this id.
    pub fn project(&self, id: ProjectId) -> Option<&Project> {
        self.projects.get(&id)
    }

    /// Every project, by id.
    pub fn projects(&self) -> impl Iterator<Item = &Project> + '_ {
        self.projects.values()
    }

    /// Active designations, by project then designation.
    pub fn designations(&self) -> impl Iterator<Item = &Assignment> + '_ {
        self.designations.values().flat_map(BTreeMap::values)
    }

    /// The active designations a person holds.
    pub fn designations_of(&self, person: PersonId) -> impl Iterator<Item = &Assignment> + '_ {
        self.designations().filter(move |a| a.person == person)
    }

    /// The active designations on a project.
    pub fn designations_on(&self, project: ProjectId) -> impl Iterator<Item = &Assignment> + '_ {
        self.designations
            .get(&project)
            .into_iter()
            .flat_map(BTreeMap::values)
    }

    /// The index of the reporting tree of active people.
    pub fn index(&self) -> &OrgIndex {
        &self.index
    }

    /// Everyone's role history, first and last days and managers as flat
    /// arrays by a dense row per person, kept up to date change by change
    /// (see [`HistoryIndex`]).
    pub fn history_index(&self) -> &HistoryIndex {
        &self.history_index
    }

    /// An estimate of the heap memory the org holds, part by part, in
    /// bytes: what each map and vector has reserved, and the bytes of every
    /// string it owns (allocator rounding and overhead not included).
    pub fn memory_breakdown(&self) -> MemoryBreakdown {
        use std::mem::size_of;
        let role = |r: &climb_framework::RoleId| r.as_str().len();
        let people_strings = self
            .people
            .values()
            .map(|p| p.name.capacity() + p.email.as_str().len() + role(&p.role))
            .sum();
        let history_entries = self
            .history
            .values()
            .map(|h| h.capacity() * size_of::<RoleChange>())
            .sum();
        let history_strings = self
            .history
            .values()
            .flatten()
            .map(|c| {
                c.from.as_ref().map_or(0, role)
                    + role(&c.to)
                    + c.note.as_ref().map_or(0, String::capacity)
            })
            .sum();
        MemoryBreakdown {
            people_table: map_bytes(&self.people),
            people_strings,
            history_table: map_bytes(&self.history),
            history_entries,
            history_strings,
            emails_table: map_bytes(&self.emails),
            emails_strings: self.emails.keys().map(|e| e.as_str().len()).sum(),
            index: self.index.memory_bytes(),
            history_index: self.history_index.memory_bytes(),
        }
    }

    /// Headcount of active people by role and by stream: of everyone
    /// strictly below `under` (that person excluded), or of the whole
    /// company when `None`. `None` when `under` is not an active person.
    pub fn summary(&self, framework: &Framework, under: Option<PersonId>) -> Option<OrgSummary> {
        self.index.summary(framework, under)
    }
}

/// Where the org's memory goes; see [`Org::memory_breakdown`]. Projects and
/// designations are left out (a few per person at most).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct MemoryBreakdown {
    /// The people map's buckets (id and person inline).
    pub people_table: usize,
    /// Names, emails and roles of people.
    pub people_strings: usize,
    /// The role-history map's buckets (id and vector header).
    pub history_table: usize,
    /// The role-history entries.
    pub history_entries: usize,
    /// Roles and notes in the role history.
    pub history_strings: usize,
    /// The email-to-person map's buckets.
    pub emails_table: usize,
    /// The emails kept as keys of that map (copies of the people's).
    pub emails_strings: usize,
    /// The org index ([`OrgIndex::memory_bytes`]).
    pub index: usize,
    /// The history index ([`HistoryIndex::memory_bytes`]).
    pub history_index: usize,
}

impl MemoryBreakdown {
    /// The sum of the parts.
    pub fn total(&self) -> usize {
        self.people_table
            + self.people_strings
            + self.history_table
            + self.history_entries
            + self.history_strings
            + self.emails_table
            + self.emails_strings
            + self.index
            + self.history_index
    }
}

/// A std `HashMap`'s buckets: the pair plus one control byte each, at most
/// 7/8 of a power of two full.
fn map_bytes<K, V, S>(map: &HashMap<K, V, S>) -> usize {
    if map.capacity() == 0 {
        return 0;
    }
    let buckets = (map.capacity() * 8 / 7).next_power_of_two();
    buckets * (std::mem::size_of::<(K, V)>() + 1)
}

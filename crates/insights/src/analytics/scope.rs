//! The question every figure is asked over: whose subtree, which stream,
//! which day; and the people it covers.
//!
//! The people are rows of the org's history index
//! ([`climb_people::history_index`]): numbers into flat arrays of first and
//! last days, managers and role histories, with the roles as small
//! integers. A population maps those role slots to the framework's roles
//! once, so the figures never look a role up by name per person.

use chrono::NaiveDate;
use climb_framework::{Framework, Role, RoleId, StreamId};
use climb_people::history_index::{HistoryIndex, day_number};
use climb_people::{Org, Person, PersonId};
use serde::Serialize;

use crate::error::InsightsError;

/// A role slot of the history index the framework does not have.
pub(crate) const OUTSIDE: u32 = u32::MAX;

/// Whose subtree, which stream, which day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// The root of the subtree (themself included), or the whole company.
    pub under: Option<PersonId>,
    /// One stream, or all.
    pub stream: Option<StreamId>,
    /// The day the org is seen as it was (see the module doc of
    /// [`crate::analytics`] for what "as it was" covers).
    pub as_of: NaiveDate,
}

/// The people a [`Scope`] covers: everyone in the subtree who had started
/// by the day, whether or not they left since (leavers are the censoring
/// and the leaving of the figures).
#[derive(Debug)]
pub struct Population<'a> {
    framework: &'a Framework,
    org: &'a Org,
    scope: Scope,
    /// Rows of the history index, in no particular order.
    rows: Vec<u32>,
    /// The framework position of each role slot of the index, [`OUTSIDE`]
    /// for a role the framework lacks.
    positions: Vec<u32>,
    /// Whether each role of the framework (by position) is in the stream.
    covered: Vec<bool>,
}

impl<'a> Population<'a> {
    /// Resolves `scope` against the org and the framework.
    ///
    /// Fails when `under` is nobody the org knows, or `stream` is not a
    /// stream of the framework.
    pub fn new(
        framework: &'a Framework,
        org: &'a Org,
        scope: Scope,
    ) -> Result<Self, InsightsError> {
        if let Some(stream) = &scope.stream
            && framework.stream(stream.as_str()).is_none()
        {
            return Err(InsightsError::UnknownStream(stream.to_string()));
        }
        let index = org.history_index();
        let day = day_number(scope.as_of);
        let starts = index.start_days();
        let rows: Vec<u32> = match scope.under {
            None => (0..index.len())
                .filter(|&r| starts[r] <= day)
                .map(|r| r as u32)
                .collect(),
            Some(root) => {
                let root = index
                    .row(root)
                    .ok_or(InsightsError::UnknownPerson(root.get()))?;
                let mut rows = subtree(org, index, root);
                rows.retain(|&r| starts[r as usize] <= day);
                // Someone recorded as left yet still in the tree (a hire
                // of a leaver applied change by change) is found twice.
                rows.sort_unstable();
                rows.dedup();
                rows
            }
        };
        let positions = index
            .roles()
            .iter()
            .map(|role| {
                framework
                    .role_position(role.as_str())
                    .map_or(OUTSIDE, |p| p as u32)
            })
            .collect();
        let covered = framework
            .roles()
            .iter()
            .map(|role| scope.stream.as_ref().is_none_or(|s| &role.stream == s))
            .collect();
        Ok(Self {
            framework,
            org,
            scope,
            rows,
            positions,
            covered,
        })
    }

    /// The question asked.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The framework the figures are read against.
    pub fn framework(&self) -> &'a Framework {
        self.framework
    }

    /// The org the figures are read from.
    pub fn org(&self) -> &'a Org {
        self.org
    }

    /// How many people are covered.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether nobody is covered.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The ids of everyone covered, in no particular order.
    pub fn ids(&self) -> impl Iterator<Item = PersonId> + '_ {
        let index = self.index();
        self.rows.iter().map(move |&r| index.id(r))
    }

    /// Everyone covered, active on the day or not, in no particular order
    /// (each looked up in the org: for a few, not for a figure).
    pub fn people(&self) -> impl Iterator<Item = &'a Person> + '_ {
        let org = self.org;
        self.ids().filter_map(move |id| org.person(id))
    }

    /// Whether `role` is a role of the framework in the scope's stream.
    pub fn covers_role(&self, role: &RoleId) -> bool {
        self.framework
            .role(role.as_str())
            .is_some_and(|r| self.covers(r))
    }

    /// Whether a role of the framework is in the scope's stream.
    pub fn covers(&self, role: &Role) -> bool {
        self.scope.stream.as_ref().is_none_or(|s| &role.stream == s)
    }

    /// The roles of the framework in the scope's stream, in file order.
    pub fn roles(&self) -> impl Iterator<Item = &'a Role> + '_ {
        self.framework.roles().iter().filter(|r| self.covers(r))
    }

    /// The people at work on the day with the role each held then, the
    /// stream filter applied (roles the framework lacks are left out).
    pub fn at_work(&self) -> impl Iterator<Item = (&'a Person, &'a Role)> + '_ {
        let day = day_number(self.scope.as_of);
        let index = self.index();
        let roles = self.framework.roles();
        self.rows.iter().filter_map(move |&row| {
            let position = self.position(index.role_on(row, day)?)?;
            if !self.covered[position] {
                return None;
            }
            Some((self.org.person(index.id(row))?, &roles[position]))
        })
    }

    /// The org's history index the rows point into.
    pub(crate) fn index(&self) -> &'a HistoryIndex {
        self.org.history_index()
    }

    /// The rows covered.
    pub(crate) fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// The framework position of a role slot of the index.
    pub(crate) fn position(&self, slot: u32) -> Option<usize> {
        match self.positions.get(slot as usize) {
            Some(&p) if p != OUTSIDE => Some(p as usize),
            _ => None,
        }
    }

    /// The framework positions of the index's role slots, [`OUTSIDE`] for
    /// roles the framework lacks.
    pub(crate) fn positions(&self) -> &[u32] {
        &self.positions
    }

    /// Whether the framework's role at `position` is in the stream.
    pub(crate) fn covers_position(&self, position: usize) -> bool {
        self.covered[position]
    }
}

/// `root` and everyone below them in the current reporting tree, people who
/// left included under their last manager: the active ones read from the
/// org index, each leaver placed by walking up their last managers (through
/// other leavers) to someone active, or to the root.
fn subtree(org: &Org, index: &HistoryIndex, root: u32) -> Vec<u32> {
    let tree = org.index();
    let root_id = index.id(root);
    let root_active = index.is_active(root);
    let mut found = vec![root];
    if root_active && let Some(below) = tree.below(root_id) {
        found.extend(below.into_iter().filter_map(|id| index.row(id)));
    }
    let within =
        |active: PersonId| root_active && (active == root_id || tree.is_below(active, root_id));
    let active = index.active();
    for leaver in (0..index.len() as u32).filter(|&r| !active[r as usize] && r != root) {
        let mut up = index.manager_row(leaver);
        // Each step goes to a last manager; the bound keeps a corrupt
        // cycle of leavers from looping.
        for _ in 0..=index.len() {
            let Some(manager) = up else {
                break;
            };
            if manager == root {
                found.push(leaver);
                break;
            }
            if active[manager as usize] {
                if within(index.id(manager)) {
                    found.push(leaver);
                }
                break;
            }
            up = index.manager_row(manager);
        }
    }
    found
}

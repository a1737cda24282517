//! The question every figure is asked over: whose subtree, which stream,
//! which day; and the people it covers.

use chrono::NaiveDate;
use climb_framework::{Framework, Role, RoleId, StreamId};
use climb_people::{Org, Person, PersonId};
use serde::Serialize;

use crate::error::InsightsError;
use crate::estimate::role_on;

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
    people: Vec<&'a Person>,
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
        let started = |p: &&Person| p.start_date <= scope.as_of;
        let people: Vec<&Person> = match scope.under {
            None => org.people().filter(started).collect(),
            Some(root) => {
                let root = org
                    .person(root)
                    .ok_or(InsightsError::UnknownPerson(root.get()))?;
                subtree(org, root).into_iter().filter(started).collect()
            }
        };
        Ok(Self {
            framework,
            org,
            scope,
            people,
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

    /// Everyone covered, active on the day or not, in no particular order.
    pub fn people(&self) -> &[&'a Person] {
        &self.people
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
        let day = self.scope.as_of;
        self.people.iter().filter_map(move |&person| {
            let role = role_on(person, self.org.history(person.id), day)?;
            let role = self.framework.role(role.as_str())?;
            self.covers(role).then_some((person, role))
        })
    }
}

/// `root` and everyone below them in the current reporting tree, people who
/// left included under their last manager: the active ones read from the
/// org index, each leaver placed by walking up their last managers (through
/// other leavers) to someone active, or to the root.
fn subtree<'a>(org: &'a Org, root: &'a Person) -> Vec<&'a Person> {
    let index = org.index();
    let mut found = vec![root];
    if root.is_active()
        && let Some(below) = index.below(root.id)
    {
        found.extend(below.into_iter().filter_map(|id| org.person(id)));
    }
    let within = |active: PersonId| {
        root.is_active() && (active == root.id || index.is_below(active, root.id))
    };
    for leaver in org.people().filter(|p| !p.is_active() && p.id != root.id) {
        let mut up = leaver.manager;
        // Each step goes to a last manager; the bound keeps a corrupt
        // cycle of leavers from looping.
        for _ in 0..=org.people_count() {
            let Some(manager) = up.and_then(|id| org.person(id)) else {
                break;
            };
            if manager.id == root.id {
                found.push(leaver);
                break;
            }
            if manager.is_active() {
                if within(manager.id) {
                    found.push(leaver);
                }
                break;
            }
            up = manager.manager;
        }
    }
    found
}

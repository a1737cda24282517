//! Who may see and change what (SPEC §4, permissions), answered in one place
//! for every endpoint and page, and for [`crate::Org::decide`].
//!
//! [`Access::Forbidden`] means "answer 403: the caller may know it exists"
//! (an active person is in the public directory); [`Access::Hidden`] means
//! "answer 404 as if it did not exist" (private notes, people who left).
//! An account whose person has left, or is unknown, has no access at all:
//! a person who leaves loses their login at once.

use climb_framework::Framework;

use crate::actor::{Actor, ActorKind};
use crate::id::PersonId;
use crate::org::Org;

/// The answer to "may this actor do or see that".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Go ahead.
    Allowed,
    /// Refuse with 403: the object is visible, the operation is not theirs.
    Forbidden,
    /// Refuse with 404: the caller may not even know it exists.
    Hidden,
}

impl Access {
    /// Whether access is granted.
    pub fn is_allowed(self) -> bool {
        self == Self::Allowed
    }
}

/// Something to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// The framework, its chart and role pages: public inside the company.
    Framework,
    /// The directory and org chart of active people, and the org summary.
    Directory,
    /// One person's directory entry (name, role, stream, manager, reports).
    Person(PersonId),
    /// One person's own records: role history, designations history, reviews,
    /// growth plan, shared one-on-one notes and action items.
    Records(PersonId),
    /// An assessment of `subject` written by `author`.
    Assessment {
        /// Who is assessed.
        subject: PersonId,
        /// Who wrote it.
        author: PersonId,
    },
    /// A one-on-one note private to its author.
    PrivateNote {
        /// Who wrote it.
        author: PersonId,
    },
    /// The audit log.
    Audit,
}

/// Something to be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Hire someone.
    Hire,
    /// Change a person's role along the framework.
    ChangeRole {
        /// Whose role.
        person: PersonId,
    },
    /// Record a correction of a person's role outside the framework.
    RecordCorrection {
        /// Whose role.
        person: PersonId,
    },
    /// Set or clear a person's manager.
    SetManager {
        /// Whose manager.
        person: PersonId,
    },
    /// Record that a person leaves.
    Leave {
        /// Who.
        person: PersonId,
    },
    /// Change a person's name or email.
    UpdatePerson {
        /// Whose details.
        person: PersonId,
    },
    /// Anonymise a person who left.
    Erase {
        /// Who.
        person: PersonId,
    },
    /// Create projects, add members, assign designations, close projects.
    ManageProjects,
    /// Upload a new framework version.
    ChangeFramework,
    /// Import people from CSV, create accounts and administrators.
    Administer,
    /// Draft a promotion proposal for a person.
    ProposePromotion {
        /// Who would be promoted.
        person: PersonId,
    },
    /// Approve or reject a promotion proposal.
    DecidePromotion {
        /// Who would be promoted.
        person: PersonId,
        /// Who drafted the proposal.
        proposer: PersonId,
    },
}

/// Whom the account acts as, if it may act at all: `None` for an account
/// whose person left or does not exist.
fn standing(org: &Org, actor: Actor) -> Option<Option<PersonId>> {
    match actor.person {
        None if actor.kind == ActorKind::Admin => Some(None),
        None => None,
        Some(id) => org.person(id).filter(|p| p.is_active()).map(|p| Some(p.id)),
    }
}

/// May `actor` read `resource`?
pub fn may_view(org: &Org, actor: Actor, resource: &Resource) -> Access {
    let Some(me) = standing(org, actor) else {
        return Access::Forbidden;
    };
    let privileged = actor.is_admin_or_hr();
    match *resource {
        Resource::Framework | Resource::Directory => Access::Allowed,
        Resource::Person(target) => match org.person(target) {
            Some(p) if p.is_active() || privileged => Access::Allowed,
            _ => Access::Hidden,
        },
        Resource::Records(target) => records(org, actor, me, target),
        Resource::Assessment { subject, author } => {
            if me == Some(author) && org.person(subject).is_some() {
                Access::Allowed
            } else {
                records(org, actor, me, subject)
            }
        }
        Resource::PrivateNote { author } => {
            if me == Some(author) {
                Access::Allowed
            } else {
                Access::Hidden
            }
        }
        Resource::Audit => {
            if privileged {
                Access::Allowed
            } else {
                Access::Forbidden
            }
        }
    }
}

/// A person's own records: theirs, their managers' up the current tree, HR's
/// and administrators'.
fn records(org: &Org, actor: Actor, me: Option<PersonId>, target: PersonId) -> Access {
    let Some(person) = org.person(target) else {
        return Access::Hidden;
    };
    let below_me = me.is_some_and(|me| me == target || org.index().is_below(target, me));
    if actor.is_admin_or_hr() || below_me {
        Access::Allowed
    } else if person.is_active() {
        Access::Forbidden
    } else {
        Access::Hidden
    }
}

/// May `actor` do `action`? Only administrators and HR change roles,
/// managers, people and the framework; only administrators record
/// corrections, erase people and administer; managers (people whose role
/// has reports) also manage projects; a person's direct manager may propose
/// their promotion, and the proposer's own manager (or HR) decides it.
pub fn may_do(org: &Org, framework: &Framework, actor: Actor, action: &Action) -> Access {
    let Some(me) = standing(org, actor) else {
        return Access::Forbidden;
    };
    let privileged = actor.is_admin_or_hr();
    let allowed = |yes: bool| {
        if yes {
            Access::Allowed
        } else {
            Access::Forbidden
        }
    };
    match *action {
        Action::Hire
        | Action::ChangeRole { .. }
        | Action::SetManager { .. }
        | Action::Leave { .. }
        | Action::UpdatePerson { .. }
        | Action::ChangeFramework => allowed(privileged),
        Action::RecordCorrection { .. } | Action::Erase { .. } | Action::Administer => {
            allowed(actor.is_admin())
        }
        Action::ManageProjects => allowed(
            privileged
                || me
                    .and_then(|me| org.person(me))
                    .and_then(|p| framework.role(p.role.as_str()))
                    .is_some_and(|role| role.reports),
        ),
        Action::ProposePromotion { person } => {
            allowed(privileged || (me.is_some() && org.index().manager(person) == me))
        }
        Action::DecidePromotion { person, proposer } => allowed(
            privileged
                || (me.is_some()
                    && me != Some(proposer)
                    && me != Some(person)
                    && org.index().manager(proposer) == me),
        ),
    }
}

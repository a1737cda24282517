//! climb's people domain: people and the one role each holds, reporting
//! lines, projects and designations; the rules that decide every change
//! ([`Org::decide`]), the org index answering every "who is below whom"
//! question, and the access [`policy`]. Pure: no I/O, no async, no database.
//!
//! The flow: a caller builds a [`Command`]; [`Org::decide`] checks it against
//! the framework and the current state and returns [`Change`]s; the store
//! persists them (each with its [`AuditEvent`]); [`Org::apply`] applies them.

mod actor;
mod change;
mod command;
pub mod directory;
mod email;
mod error;
mod fast_hash;
pub mod history_index;
mod id;
mod org;
pub mod org_index;
mod person;
pub mod policy;
mod pos_map;
mod project;
#[cfg(test)]
mod testkit;
mod text;

pub use actor::{Actor, ActorKind};
pub use change::{AuditEvent, AuditRecord, Change, PersonDetails, Subject};
pub use command::Command;
pub use directory::DirectoryOrder;
pub use email::Email;
pub use error::{ErrorKind, MAX_NAME_CHARS, NameProblem, PeopleError};
pub use history_index::HistoryIndex;
pub use id::{PersonId, ProjectId};
pub use org::{MemoryBreakdown, Org};
pub use org_index::{OrgIndex, OrgSummary};
pub use person::{ChangeReason, Person, RoleChange, Status};
pub use policy::{Access, Action, Figures, Resource};
pub use project::{Assignment, DesignationFlag, EndReason, Project, ProjectStatus};
pub use text::{MAX_NOTE_CHARS, TextProblem, check_text};

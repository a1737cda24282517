//! What changed between two versions of a framework: roles added, removed
//! and renamed (through the new version's `[[renames]]`), roles whose
//! placement changed, transitions added and removed, expectations changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::id::{CompetencyId, RoleId};
use crate::model::{Framework, Role, TransitionKind};

/// The differences between an old and a new framework version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FrameworkDiff {
    /// Roles of the new version with no counterpart in the old one.
    pub roles_added: Vec<RoleId>,
    /// Roles of the old version that neither exist nor are renamed in the new one.
    pub roles_removed: Vec<RoleId>,
    /// Old role id → new role id, as declared by the new version's renames.
    pub roles_renamed: Vec<(RoleId, RoleId)>,
    /// Roles present in both whose title, stream, seniority or flags changed.
    pub roles_changed: Vec<RoleChange>,
    /// Transitions only in the new version (old ids mapped through renames).
    pub transitions_added: Vec<TransitionKey>,
    /// Transitions only in the old version (old ids mapped through renames).
    pub transitions_removed: Vec<TransitionKey>,
    /// Expected competency levels that differ, per role of the new version.
    pub expectations_changed: Vec<ExpectationChange>,
}

/// A transition named by its ends and kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TransitionKey {
    /// Source role (new-version id).
    pub from: RoleId,
    /// Target role (new-version id).
    pub to: RoleId,
    /// Promotion or lateral.
    pub kind: TransitionKind,
}

/// One attribute of a role that differs between versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleChange {
    /// The role (new-version id).
    pub role: RoleId,
    /// Which attribute: `title`, `stream`, `seniority`, `hire_only`, `entry`, `reports`.
    pub field: &'static str,
    /// The old value, as text.
    pub before: String,
    /// The new value, as text.
    pub after: String,
}

/// An expected competency level that differs between versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectationChange {
    /// The role (new-version id).
    pub role: RoleId,
    /// The competency.
    pub competency: CompetencyId,
    /// The old level, `None` when the old version did not expect it.
    pub before: Option<u32>,
    /// The new level, `None` when the new version no longer expects it.
    pub after: Option<u32>,
}

impl FrameworkDiff {
    /// Whether the two versions are equivalent for every listed aspect.
    pub fn is_empty(&self) -> bool {
        self.roles_added.is_empty()
            && self.roles_removed.is_empty()
            && self.roles_renamed.is_empty()
            && self.roles_changed.is_empty()
            && self.transitions_added.is_empty()
            && self.transitions_removed.is_empty()
            && self.expectations_changed.is_empty()
    }

    /// Where a person holding old role `role` ends up in the new version:
    /// the same id, the renamed id, or `None` when the role was removed.
    pub fn new_role_for<'a>(&'a self, old: &'a RoleId, new: &Framework) -> Option<&'a RoleId> {
        if let Some((_, to)) = self.roles_renamed.iter().find(|(from, _)| from == old) {
            return Some(to);
        }
        new.role(old.as_str()).map(|_| old)
    }
}

/// Compares two framework versions. Renames come from the new version and
/// apply only to ids that exist in the old one and not in the new one.
pub fn diff(old: &Framework, new: &Framework) -> FrameworkDiff {
    let renamed: HashMap<&str, &RoleId> = new
        .renames()
        .iter()
        .filter(|r| old.role(r.from.as_str()).is_some() && new.role(r.from.as_str()).is_none())
        .map(|r| (r.from.as_str(), &r.to))
        .collect();
    let to_new = |id: &RoleId| -> RoleId {
        renamed
            .get(id.as_str())
            .map_or_else(|| id.clone(), |&to| to.clone())
    };

    let mut result = FrameworkDiff::default();
    let mut counterparts: BTreeSet<RoleId> = BTreeSet::new();
    for role in old.roles() {
        if let Some(&to) = renamed.get(role.id.as_str()) {
            result.roles_renamed.push((role.id.clone(), to.clone()));
            counterparts.insert(to.clone());
        } else if new.role(role.id.as_str()).is_some() {
            counterparts.insert(role.id.clone());
        } else {
            result.roles_removed.push(role.id.clone());
        }
    }
    for role in new.roles() {
        if !counterparts.contains(&role.id) {
            result.roles_added.push(role.id.clone());
        }
    }

    for old_role in old.roles() {
        let id = to_new(&old_role.id);
        if let Some(new_role) = new.role(id.as_str()) {
            compare_roles(old_role, new_role, &mut result);
        }
    }

    let old_transitions: BTreeSet<TransitionKey> = old
        .transitions()
        .iter()
        .map(|t| TransitionKey {
            from: to_new(&t.from),
            to: to_new(&t.to),
            kind: t.kind,
        })
        .collect();
    let new_transitions: BTreeSet<TransitionKey> = new
        .transitions()
        .iter()
        .map(|t| TransitionKey {
            from: t.from.clone(),
            to: t.to.clone(),
            kind: t.kind,
        })
        .collect();
    result.transitions_added = new_transitions
        .difference(&old_transitions)
        .cloned()
        .collect();
    result.transitions_removed = old_transitions
        .difference(&new_transitions)
        .cloned()
        .collect();
    result
}

fn compare_roles(old: &Role, new: &Role, result: &mut FrameworkDiff) {
    let mut field = |name: &'static str, before: String, after: String| {
        if before != after {
            result.roles_changed.push(RoleChange {
                role: new.id.clone(),
                field: name,
                before,
                after,
            });
        }
    };
    field("title", old.title.clone(), new.title.clone());
    field("stream", old.stream.to_string(), new.stream.to_string());
    field(
        "seniority",
        old.seniority.get().to_string(),
        new.seniority.get().to_string(),
    );
    field(
        "hire_only",
        old.hire_only.to_string(),
        new.hire_only.to_string(),
    );
    field("entry", old.entry.to_string(), new.entry.to_string());
    field("reports", old.reports.to_string(), new.reports.to_string());

    let mut levels: BTreeMap<&CompetencyId, (Option<u32>, Option<u32>)> = BTreeMap::new();
    for e in &old.expectations {
        levels.entry(&e.competency).or_default().0 = Some(e.level);
    }
    for e in &new.expectations {
        levels.entry(&e.competency).or_default().1 = Some(e.level);
    }
    for (competency, (before, after)) in levels {
        if before != after {
            result.expectations_changed.push(ExpectationChange {
                role: new.id.clone(),
                competency: competency.clone(),
                before,
                after,
            });
        }
    }
}

//! Graph queries over a checked framework: next steps, shortest paths,
//! reachability, entry and hire-only roles, and equivalent roles.

use std::collections::VecDeque;

use crate::model::{Framework, Role, Transition};

/// Why [`shortest_path`] found no path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoPath {
    /// The starting role is not in the framework.
    #[error("there is no role `{0}` in this framework")]
    UnknownFrom(String),
    /// The target role is not in the framework.
    #[error("there is no role `{0}` in this framework")]
    UnknownTo(String),
    /// The target is hire-only: nothing leads into it.
    #[error("`{0}` is hire-only: no promotion or lateral move leads into it, the only way in is a hire")]
    HireOnly(String),
    /// No chain of transitions connects the two roles.
    #[error("no sequence of promotions and lateral moves leads from `{from}` to `{to}`")]
    Unreachable {
        /// The starting role.
        from: String,
        /// The target role.
        to: String,
    },
}

impl NoPath {
    /// A stable machine-readable code (`no_path`, `unknown_role`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownFrom(_) | Self::UnknownTo(_) => "unknown_role",
            Self::HireOnly(_) | Self::Unreachable { .. } => "no_path",
        }
    }
}

/// The transitions leaving `role`, promotions first, then in file order.
pub fn next_steps<'a>(framework: &'a Framework, role: &str) -> Vec<&'a Transition> {
    let mut steps: Vec<_> = framework.transitions_from(role).collect();
    steps.sort_by_key(|t| t.kind);
    steps
}

/// The shortest sequence of transitions from `from` to `to`: fewest steps;
/// among equally short paths, the one that takes promotions earliest, then
/// the one whose transitions come first in the file. Deterministic. A path
/// from a role to itself is empty.
pub fn shortest_path<'a>(
    framework: &'a Framework,
    from: &str,
    to: &str,
) -> Result<Vec<&'a Transition>, NoPath> {
    let start = framework
        .role_position(from)
        .ok_or_else(|| NoPath::UnknownFrom(from.to_owned()))?;
    let goal = framework
        .role_position(to)
        .ok_or_else(|| NoPath::UnknownTo(to.to_owned()))?;
    if start == goal {
        return Ok(Vec::new());
    }
    if framework.roles()[goal].hire_only {
        return Err(NoPath::HireOnly(to.to_owned()));
    }
    // Distances to the goal over reversed edges; then walk forward from the
    // start, always to a neighbour one step closer, preferring promotions.
    let distance = distances_to(framework, goal);
    let Some(mut remaining) = distance[start] else {
        return Err(NoPath::Unreachable {
            from: from.to_owned(),
            to: to.to_owned(),
        });
    };
    let transitions = framework.transitions();
    let mut path = Vec::with_capacity(remaining as usize);
    let mut current = start;
    while current != goal {
        let step = framework
            .outgoing_indexes(current)
            .iter()
            .map(|&t| (t, &transitions[t]))
            .filter_map(|(t, transition)| {
                let target = framework.role_position(transition.to.as_str())?;
                (distance[target] == Some(remaining - 1)).then_some((transition.kind, t, target))
            })
            .min();
        // A neighbour one step closer always exists when distance is finite.
        let Some((_, t, target)) = step else {
            return Err(NoPath::Unreachable {
                from: from.to_owned(),
                to: to.to_owned(),
            });
        };
        path.push(&transitions[t]);
        current = target;
        remaining -= 1;
    }
    Ok(path)
}

/// Breadth-first distances from every role to `goal`, following transitions
/// backwards; `None` where the goal cannot be reached.
fn distances_to(framework: &Framework, goal: usize) -> Vec<Option<u32>> {
    let roles = framework.roles();
    let mut distance = vec![None; roles.len()];
    distance[goal] = Some(0);
    let mut queue = VecDeque::from([goal]);
    while let Some(role) = queue.pop_front() {
        let next = distance[role].map_or(0, |d| d + 1);
        for transition in framework.transitions_into(roles[role].id.as_str()) {
            if let Some(source) = framework.role_position(transition.from.as_str()) {
                if distance[source].is_none() {
                    distance[source] = Some(next);
                    queue.push_back(source);
                }
            }
        }
    }
    distance
}

/// Every role reachable from `from` by one or more transitions, nearest
/// first (breadth-first, promotions before laterals, then file order);
/// empty for an unknown role.
pub fn reachable<'a>(framework: &'a Framework, from: &str) -> Vec<&'a Role> {
    let Some(start) = framework.role_position(from) else {
        return Vec::new();
    };
    let roles = framework.roles();
    let mut seen = vec![false; roles.len()];
    seen[start] = true;
    let mut queue = VecDeque::from([start]);
    let mut found = Vec::new();
    while let Some(role) = queue.pop_front() {
        for transition in next_steps(framework, roles[role].id.as_str()) {
            if let Some(target) = framework.role_position(transition.to.as_str()) {
                if !seen[target] {
                    seen[target] = true;
                    found.push(&roles[target]);
                    queue.push_back(target);
                }
            }
        }
    }
    found
}

/// Roles people are normally hired into (`entry = true`), in file order.
pub fn entry_roles(framework: &Framework) -> Vec<&Role> {
    framework.roles().iter().filter(|r| r.entry).collect()
}

/// Roles nothing may transition into (`hire_only = true`), in file order.
pub fn hire_only_roles(framework: &Framework) -> Vec<&Role> {
    framework.roles().iter().filter(|r| r.hire_only).collect()
}

/// Roles of equal seniority in other streams: comparable in rank.
pub fn equivalents<'a>(framework: &'a Framework, role: &str) -> Vec<&'a Role> {
    let Some(role) = framework.role(role) else {
        return Vec::new();
    };
    framework
        .roles()
        .iter()
        .filter(|r| r.seniority == role.seniority && r.stream != role.stream)
        .collect()
}

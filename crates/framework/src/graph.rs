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
    #[error(
        "`{0}` is hire-only: no promotion or lateral move leads into it, the only way in is a hire"
    )]
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
            if let Some(source) = framework.role_position(transition.from.as_str())
                && distance[source].is_none()
            {
                distance[source] = Some(next);
                queue.push_back(source);
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
            if let Some(target) = framework.role_position(transition.to.as_str())
                && !seen[target]
            {
                seen[target] = true;
                found.push(&roles[target]);
                queue.push_back(target);
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::id::{RoleId, StreamId};
    use crate::model::{FrameworkMeta, FrameworkParts, Seniority, Stream, Track, TransitionKind};

    fn role_id(i: usize) -> RoleId {
        RoleId::parse(format!("r{i}")).expect("valid id")
    }

    /// A framework of `roles` roles in two streams (even/odd) with the given
    /// edges; the kind follows the streams so generated graphs stay plausible.
    fn framework(roles: usize, edges: &[(usize, usize)], hire_only: &[usize]) -> Framework {
        let streams: Vec<_> = ["a", "b"]
            .iter()
            .map(|id| Stream {
                id: StreamId::parse(*id).expect("valid id"),
                name: id.to_uppercase(),
                track: Track::Ic,
                description: None,
            })
            .collect();
        let parts = FrameworkParts {
            meta: None,
            roles: (0..roles)
                .map(|i| Role {
                    id: role_id(i),
                    title: format!("Role {i}"),
                    stream: streams[i % 2].id.clone(),
                    seniority: Seniority::new(i as i64).expect("in range"),
                    entry: true,
                    hire_only: hire_only.contains(&i),
                    reports: false,
                    summary: None,
                    responsibilities: Vec::new(),
                    expectations: Vec::new(),
                })
                .collect(),
            streams,
            transitions: edges
                .iter()
                .map(|&(from, to)| Transition {
                    from: role_id(from),
                    to: role_id(to),
                    kind: if from % 2 == to % 2 {
                        TransitionKind::Promotion
                    } else {
                        TransitionKind::Lateral
                    },
                })
                .collect(),
            ..FrameworkParts::default()
        };
        let meta = FrameworkMeta {
            name: "test".into(),
            version: "1".into(),
            description: None,
        };
        Framework::from_checked_parts(parts, meta)
    }

    /// Length of the shortest path by exhaustive search over simple paths.
    fn brute_force_length(framework: &Framework, from: usize, to: usize) -> Option<usize> {
        fn search(fw: &Framework, at: usize, to: usize, seen: &mut Vec<bool>) -> Option<usize> {
            if at == to {
                return Some(0);
            }
            let mut best: Option<usize> = None;
            for t in fw.transitions_from(fw.roles()[at].id.as_str()) {
                let next = fw.role_position(t.to.as_str())?;
                if !seen[next] {
                    seen[next] = true;
                    if let Some(len) = search(fw, next, to, seen) {
                        best = Some(best.map_or(len + 1, |b| b.min(len + 1)));
                    }
                    seen[next] = false;
                }
            }
            best
        }
        let mut seen = vec![false; framework.roles().len()];
        seen[from] = true;
        search(framework, from, to, &mut seen)
    }

    #[test]
    fn shortest_path_prefers_promotions_among_equally_short_paths() {
        // r0 → r1 (lateral) → r3 (promotion) and r0 → r2 (promotion) → r3 (lateral).
        let fw = framework(4, &[(0, 1), (0, 2), (1, 3), (2, 3)], &[]);
        let path = shortest_path(&fw, "r0", "r3").expect("a path");
        let kinds: Vec<_> = path.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TransitionKind::Promotion, TransitionKind::Lateral]);
        assert_eq!(path[0].to.as_str(), "r2");
    }

    #[test]
    fn a_path_from_a_role_to_itself_is_empty() {
        let fw = framework(2, &[(0, 1)], &[]);
        assert_eq!(shortest_path(&fw, "r1", "r1"), Ok(Vec::new()));
    }

    #[test]
    fn no_path_into_a_hire_only_role_says_so() {
        let fw = framework(3, &[(0, 1)], &[2]);
        assert_eq!(
            shortest_path(&fw, "r0", "r2"),
            Err(NoPath::HireOnly("r2".into()))
        );
    }

    #[test]
    fn unknown_roles_are_named() {
        let fw = framework(2, &[(0, 1)], &[]);
        assert_eq!(
            shortest_path(&fw, "x", "r1"),
            Err(NoPath::UnknownFrom("x".into()))
        );
        assert_eq!(
            shortest_path(&fw, "r0", "y"),
            Err(NoPath::UnknownTo("y".into()))
        );
    }

    #[test]
    fn reachable_lists_nearest_roles_first() {
        let fw = framework(4, &[(0, 1), (1, 2), (2, 3), (0, 3)], &[]);
        let ids: Vec<_> = reachable(&fw, "r0")
            .iter()
            .map(|r| r.id.to_string())
            .collect();
        assert_eq!(ids, ["r1", "r3", "r2"]);
    }

    #[test]
    fn equivalents_are_equal_seniority_in_other_streams() {
        let builtin = crate::builtin();
        let ids: Vec<_> = equivalents(builtin, "staff-engineer")
            .iter()
            .map(|r| r.id.to_string())
            .collect();
        assert_eq!(ids, ["architect", "engineering-manager"]);
    }

    #[test]
    fn the_built_in_cto_is_hire_only_with_no_incoming_arrow() {
        let builtin = crate::builtin();
        let hire_only: Vec<_> = hire_only_roles(builtin)
            .iter()
            .map(|r| r.id.to_string())
            .collect();
        assert_eq!(hire_only, ["cto"]);
        assert_eq!(builtin.transitions_into("cto").count(), 0);
    }

    proptest! {
        #[test]
        fn every_path_is_a_chain_of_real_transitions_and_none_is_shorter(
            roles in 2usize..8,
            raw_edges in proptest::collection::vec((0usize..8, 0usize..8), 0..20),
            from in 0usize..8,
            to in 0usize..8,
        ) {
            let edges: Vec<_> = raw_edges
                .into_iter()
                .map(|(a, b)| (a % roles, b % roles))
                .filter(|(a, b)| a != b)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let fw = framework(roles, &edges, &[]);
            let (from, to) = (from % roles, to % roles);
            let expected = brute_force_length(&fw, from, to);
            match shortest_path(&fw, &format!("r{from}"), &format!("r{to}")) {
                Ok(path) => {
                    prop_assert_eq!(Some(path.len()), expected);
                    let mut at = format!("r{from}");
                    for step in &path {
                        prop_assert_eq!(step.from.as_str(), at.as_str());
                        prop_assert!(fw.transition(step.from.as_str(), step.to.as_str()).is_some());
                        at = step.to.to_string();
                    }
                    prop_assert_eq!(at, format!("r{to}"));
                }
                Err(NoPath::Unreachable { .. }) => prop_assert_eq!(expected, None),
                Err(other) => prop_assert!(false, "unexpected {other:?}"),
            }
        }
    }
}

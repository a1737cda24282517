//! The headcount pyramid: people per stream and seniority on a day, with
//! hire-only roles marked and the holders of an active designation counted
//! in each cell. Headcounts are directory figures (every active person's
//! role is public inside the company), so they are never suppressed.

use foldhash::HashSet;

use climb_framework::{RoleId, StreamId};
use climb_people::PersonId;
use serde::Serialize;

use crate::analytics::scope::{Population, Scope};

/// One role's cell of the pyramid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PyramidCell {
    /// The role.
    pub role: RoleId,
    /// Its seniority (the chart's column).
    pub seniority: u8,
    /// Whether the only way in is a hire.
    pub hire_only: bool,
    /// People holding the role on the day.
    pub headcount: u64,
    /// Of those, people holding at least one active designation.
    pub designation_holders: u64,
}

/// One stream's row, roles by seniority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PyramidStream {
    /// The stream.
    pub stream: StreamId,
    /// Its roles, lowest seniority first (file order among equals).
    pub roles: Vec<PyramidCell>,
    /// People in the stream on the day.
    pub headcount: u64,
}

/// Headcount per stream × seniority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pyramid {
    /// The question answered.
    pub scope: Scope,
    /// The streams covered, in file order.
    pub streams: Vec<PyramidStream>,
    /// Everyone counted.
    pub headcount: u64,
    /// People at work on the day in a role the framework does not have.
    pub outside_framework: u64,
}

/// The pyramid of `population` on its day.
pub fn pyramid(population: &Population<'_>) -> Pyramid {
    let framework = population.framework();
    let org = population.org();
    let day = population.scope().as_of;
    let holders: HashSet<PersonId> = org
        .designations()
        .filter(|a| a.start_date <= day)
        .map(|a| a.person)
        .collect();
    let mut streams: Vec<PyramidStream> = framework
        .streams()
        .iter()
        .filter(|s| {
            population
                .scope()
                .stream
                .as_ref()
                .is_none_or(|id| id == &s.id)
        })
        .map(|s| {
            let mut roles: Vec<PyramidCell> = framework
                .roles_in(&s.id)
                .map(|r| PyramidCell {
                    role: r.id.clone(),
                    seniority: r.seniority.get(),
                    hire_only: r.hire_only,
                    headcount: 0,
                    designation_holders: 0,
                })
                .collect();
            roles.sort_by_key(|c| c.seniority);
            PyramidStream {
                stream: s.id.clone(),
                roles,
                headcount: 0,
            }
        })
        .collect();
    let mut headcount = 0;
    for (person, role) in population.at_work() {
        let Some(row) = streams.iter_mut().find(|s| s.stream == role.stream) else {
            continue;
        };
        let Some(cell) = row.roles.iter_mut().find(|c| c.role == role.id) else {
            continue;
        };
        cell.headcount += 1;
        if holders.contains(&person.id) {
            cell.designation_holders += 1;
        }
        row.headcount += 1;
        headcount += 1;
    }
    let outside_framework = population
        .people()
        .iter()
        .filter(|p| {
            crate::estimate::role_on(p, org.history(p.id), day)
                .is_some_and(|r| framework.role(r.as_str()).is_none())
        })
        .count() as u64;
    Pyramid {
        scope: population.scope().clone(),
        streams,
        headcount,
        outside_framework,
    }
}

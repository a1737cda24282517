//! The headcount pyramid: people per stream and seniority on a day, with
//! hire-only roles marked and the holders of an active designation counted
//! in each cell. Headcounts are directory figures (every active person's
//! role is public inside the company), so they are never suppressed.

use climb_framework::{RoleId, StreamId};
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
    let index = population.index();
    let day = population.scope().as_of;
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
    // Each role slot of the index: counted in a cell (row, cell), in the
    // framework but not in the stream, or outside the framework.
    #[derive(Clone, Copy)]
    enum Slot {
        Cell(usize, usize),
        Uncounted,
        Outside,
    }
    let slots: Vec<Slot> = population
        .positions()
        .iter()
        .map(|&position| {
            let Some(role) = framework.roles().get(position as usize) else {
                return Slot::Outside;
            };
            if !population.covers(role) {
                return Slot::Uncounted;
            }
            streams
                .iter()
                .enumerate()
                .find(|(_, s)| s.stream == role.stream)
                .and_then(|(i, s)| {
                    let c = s.roles.iter().position(|c| c.role == role.id)?;
                    Some(Slot::Cell(i, c))
                })
                .unwrap_or(Slot::Uncounted)
        })
        .collect();
    // The holders of a designation started by the day, as a bit per row.
    let mut holders = Vec::new();
    for assignment in org.designations().filter(|a| a.start_date <= day) {
        if let Some(row) = index.row(assignment.person) {
            let (word, bit) = (row as usize / 64, row % 64);
            if holders.len() <= word {
                holders.resize(word + 1, 0_u64);
            }
            holders[word] |= 1_u64 << bit;
        }
    }
    let holds = |row: u32| {
        holders
            .get(row as usize / 64)
            .is_some_and(|&w| w & (1_u64 << (row % 64)) != 0)
    };
    let day = climb_people::history_index::day_number(day);
    let mut cells = vec![0_u64; framework.roles().len().max(1) * streams.len().max(1)];
    let width = framework.roles().len().max(1);
    let mut held_cells = vec![0_u64; cells.len()];
    let mut outside_framework = 0;
    for &row in population.rows() {
        let Some(slot) = index.role_on(row, day) else {
            continue;
        };
        match slots[slot as usize] {
            Slot::Cell(s, c) => {
                cells[s * width + c] += 1;
                if !holders.is_empty() && holds(row) {
                    held_cells[s * width + c] += 1;
                }
            }
            Slot::Uncounted => {}
            Slot::Outside => outside_framework += 1,
        }
    }
    let mut headcount = 0;
    for (s, stream) in streams.iter_mut().enumerate() {
        for (c, cell) in stream.roles.iter_mut().enumerate() {
            cell.headcount = cells[s * width + c];
            cell.designation_holders = held_cells[s * width + c];
            stream.headcount += cell.headcount;
        }
        headcount += stream.headcount;
    }
    Pyramid {
        scope: population.scope().clone(),
        streams,
        headcount,
        outside_framework,
    }
}

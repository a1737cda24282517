//! Span of control on a day: direct reports per manager, the IC : manager
//! ratio, the number of layers, and the managers with one report or with
//! more than a threshold. A manager here is anyone with at least one
//! direct report at work on the day; everyone else counts as an IC.

use std::collections::BTreeMap;

use climb_people::PersonId;
use climb_people::history_index::day_number;
use serde::Serialize;

use crate::analytics::scope::{Population, Scope};
use crate::analytics::suppress::{Figure, Privacy};

/// The threshold of "too many direct reports" when none is given.
pub const DEFAULT_SPAN_THRESHOLD: u32 = 8;

/// A manager and how many direct reports they had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ManagerSpan {
    /// The manager.
    pub person: PersonId,
    /// Direct reports at work on the day.
    pub reports: u32,
}

/// How many managers had a given number of direct reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SpanBucket {
    /// Direct reports.
    pub reports: u32,
    /// Managers with that many.
    pub managers: u64,
}

/// The span of control of a subtree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    /// The question answered (its stream is ignored: spans cross streams).
    pub scope: Scope,
    /// The threshold of `over_threshold`.
    pub threshold: u32,
    /// People at work on the day in the subtree.
    pub people: u64,
    /// Of those, people with at least one direct report.
    pub managers: u64,
    /// Of those, people with none.
    pub ics: u64,
    /// ICs per manager (`None` without managers).
    pub ics_per_manager: Figure<Option<f64>>,
    /// Layers: the subtree's root (or the company's top) is layer 1.
    pub layers: u32,
    /// Managers per number of direct reports, fewest reports first.
    pub distribution: Figure<Vec<SpanBucket>>,
    /// Managers with exactly one direct report, by id.
    pub one_report: Vec<ManagerSpan>,
    /// Managers with more than `threshold` direct reports, by id.
    pub over_threshold: Vec<ManagerSpan>,
}

/// The span of control of `population` on its day.
pub fn span(population: &Population<'_>, threshold: u32, privacy: Privacy) -> Span {
    const NONE: u32 = u32::MAX;
    let index = population.index();
    let day = day_number(population.scope().as_of);
    let root = population
        .scope()
        .under
        .and_then(|id| index.row(id))
        .unwrap_or(NONE);
    // The people at work on the day, numbered 0.. in `at_work`; `local`
    // maps a row to that number plus one (0 for nobody at work).
    let at_work: Vec<u32> = population
        .rows()
        .iter()
        .copied()
        .filter(|&row| index.role_on(row, day).is_some())
        .collect();
    let mut local = vec![0_u32; index.len()];
    for (i, &row) in at_work.iter().enumerate() {
        local[row as usize] = i as u32 + 1;
    }
    // Each one's manager when at work on the day (not for the root).
    let parent: Vec<u32> = at_work
        .iter()
        .map(|&row| {
            if row == root {
                return NONE;
            }
            index
                .manager_row(row)
                .map_or(NONE, |m| local[m as usize].wrapping_sub(1))
        })
        .collect();
    let mut reports = vec![0_u32; at_work.len()];
    for &manager in &parent {
        if manager != NONE {
            reports[manager as usize] += 1;
        }
    }

    let mut layer = vec![0_u32; at_work.len()];
    let mut path = Vec::new();
    let mut layers = 0;
    for person in 0..at_work.len() as u32 {
        // Walk up to a person of known layer or a top, then number back down.
        let mut current = person;
        let mut base = 0;
        path.clear();
        loop {
            let known = layer[current as usize];
            if known != 0 {
                base = known;
                break;
            }
            path.push(current);
            match parent[current as usize] {
                m if m != NONE && path.len() <= at_work.len() => current = m,
                _ => break,
            }
        }
        for (i, &p) in path.iter().rev().enumerate() {
            let depth = base + 1 + i as u32;
            layer[p as usize] = depth;
            layers = layers.max(depth);
        }
    }

    let people = at_work.len() as u64;
    let mut by_count: BTreeMap<u32, u64> = BTreeMap::new();
    let mut spans: Vec<ManagerSpan> = reports
        .iter()
        .zip(&at_work)
        .filter(|&(&reports, _)| reports > 0)
        .map(|(&reports, &row)| {
            *by_count.entry(reports).or_default() += 1;
            ManagerSpan {
                person: index.id(row),
                reports,
            }
        })
        .collect();
    let managers = spans.len() as u64;
    let ics = people - managers;
    spans.sort_unstable_by_key(|s| s.person);
    Span {
        scope: population.scope().clone(),
        threshold,
        people,
        managers,
        ics,
        ics_per_manager: privacy
            .figure(people, (managers > 0).then(|| ics as f64 / managers as f64)),
        layers,
        distribution: privacy.figure(
            managers,
            by_count
                .into_iter()
                .map(|(reports, managers)| SpanBucket { reports, managers })
                .collect(),
        ),
        one_report: spans.iter().copied().filter(|s| s.reports == 1).collect(),
        over_threshold: spans
            .iter()
            .copied()
            .filter(|s| s.reports > threshold)
            .collect(),
    }
}

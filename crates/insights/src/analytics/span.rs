//! Span of control on a day: direct reports per manager, the IC : manager
//! ratio, the number of layers, and the managers with one report or with
//! more than a threshold. A manager here is anyone with at least one
//! direct report at work on the day; everyone else counts as an IC.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use climb_people::PersonId;
use serde::Serialize;

use crate::analytics::scope::{Population, Scope};
use crate::analytics::suppress::{Figure, Privacy};
use crate::estimate::role_on;

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
    let org = population.org();
    let day = population.scope().as_of;
    let at_work: Vec<(PersonId, Option<PersonId>)> = population
        .people()
        .iter()
        .filter(|p| role_on(p, org.history(p.id), day).is_some())
        .map(|p| (p.id, p.manager))
        .collect();
    let parent: HashMap<PersonId, Option<PersonId>> = at_work.iter().copied().collect();
    let root = population.scope().under;
    let mut reports: HashMap<PersonId, u32> = HashMap::new();
    for &(person, manager) in &at_work {
        if Some(person) == root {
            continue;
        }
        if let Some(manager) = manager.filter(|m| parent.contains_key(m)) {
            *reports.entry(manager).or_default() += 1;
        }
    }

    let mut layer: HashMap<PersonId, u32> = HashMap::with_capacity(at_work.len());
    let mut path = Vec::new();
    let mut layers = 0;
    for &(person, _) in &at_work {
        // Walk up to a person of known layer or a top, then number back down.
        let mut current = person;
        let mut base = 0;
        path.clear();
        loop {
            if let Some(&known) = layer.get(&current) {
                base = known;
                break;
            }
            path.push(current);
            let up = parent
                .get(&current)
                .copied()
                .flatten()
                .filter(|m| parent.contains_key(m) && Some(current) != root);
            match up {
                Some(m) if path.len() <= parent.len() => current = m,
                _ => break,
            }
        }
        for (i, &p) in path.iter().rev().enumerate() {
            let depth = base + 1 + i as u32;
            layer.insert(p, depth);
            layers = layers.max(depth);
        }
    }

    let people = at_work.len() as u64;
    let managers = reports.len() as u64;
    let ics = people - managers;
    let mut by_count: BTreeMap<u32, u64> = BTreeMap::new();
    let mut spans: Vec<ManagerSpan> = reports
        .iter()
        .map(|(&person, &reports)| {
            *by_count.entry(reports).or_default() += 1;
            ManagerSpan { person, reports }
        })
        .collect();
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

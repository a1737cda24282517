//! The analytics as they were before the history index: each person's
//! history read from the org's map by id, roles looked up by name. Kept
//! only as the oracle of the property test (`index_matches_oracle`): the
//! figures over the index must be these, on any org.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use climb_framework::{Framework, Role, RoleId};
use climb_insights::analytics::{
    ArrowFlow, CurrentTenure, Flow, KaplanMeier, ManagerSpan, MoveCount, Period, Privacy, Pyramid,
    PyramidCell, PyramidStream, Quantiles, RoleTime, RoleYearRates, Scope, Span, SpanBucket,
    TimeInRole, YearRate,
};
use climb_people::{ChangeReason, Org, Person, PersonId, RoleChange};
use foldhash::{HashMap, HashMapExt, HashSet};

/// The old `Population`: the people as references into the org.
pub(crate) struct Population<'a> {
    framework: &'a Framework,
    org: &'a Org,
    scope: Scope,
    people: Vec<&'a Person>,
}

impl<'a> Population<'a> {
    pub(crate) fn new(framework: &'a Framework, org: &'a Org, scope: Scope) -> Option<Self> {
        let started = |p: &&Person| p.start_date <= scope.as_of;
        let people: Vec<&Person> = match scope.under {
            None => org.people().filter(started).collect(),
            Some(root) => {
                let root = org.person(root)?;
                // The one change to the old path: a person found twice
                // (recorded as left yet still in the tree) counts once.
                let mut people: Vec<&Person> =
                    subtree(org, root).into_iter().filter(started).collect();
                people.sort_unstable_by_key(|p| p.id);
                people.dedup_by_key(|p| p.id);
                people
            }
        };
        Some(Self {
            framework,
            org,
            scope,
            people,
        })
    }

    pub(crate) fn ids(&self) -> Vec<PersonId> {
        let mut ids: Vec<PersonId> = self.people.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        ids
    }

    fn scope(&self) -> &Scope {
        &self.scope
    }

    fn framework(&self) -> &'a Framework {
        self.framework
    }

    fn org(&self) -> &'a Org {
        self.org
    }

    fn people(&self) -> &[&'a Person] {
        &self.people
    }

    /// Whether `role` is a role of the framework in the scope's stream.
    fn covers_role(&self, role: &RoleId) -> bool {
        self.framework
            .role(role.as_str())
            .is_some_and(|r| self.covers(r))
    }

    /// Whether a role of the framework is in the scope's stream.
    fn covers(&self, role: &Role) -> bool {
        self.scope.stream.as_ref().is_none_or(|s| &role.stream == s)
    }

    /// The roles of the framework in the scope's stream, in file order.
    fn roles(&self) -> impl Iterator<Item = &'a Role> + '_ {
        self.framework.roles().iter().filter(|r| self.covers(r))
    }

    /// The people at work on the day with the role each held then, the
    /// stream filter applied (roles the framework lacks are left out).
    fn at_work(&self) -> impl Iterator<Item = (&'a Person, &'a Role)> + '_ {
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

fn role_on<'a>(
    person: &'a Person,
    history: &'a [RoleChange],
    date: NaiveDate,
) -> Option<&'a RoleId> {
    if date < person.start_date || person.end_date.is_some_and(|end| date > end) {
        return None;
    }
    let held = history.partition_point(|change| change.effective_date <= date);
    match held.checked_sub(1) {
        Some(last) => history.get(last).map(|change| &change.to),
        None => Some(history.first().map_or(&person.role, |change| &change.to)),
    }
}

/// The pyramid of `population` on its day.
pub(crate) fn pyramid(population: &Population<'_>) -> Pyramid {
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
            role_on(p, org.history(p.id), day).is_some_and(|r| framework.role(r.as_str()).is_none())
        })
        .count() as u64;
    Pyramid {
        scope: population.scope().clone(),
        streams,
        headcount,
        outside_framework,
    }
}

/// One spell: how long it was observed and whether it ended in a promotion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Spell {
    days: u32,
    promoted: bool,
}

#[derive(Default)]
struct Tally {
    people: HashSet<PersonId>,
    spells: Vec<Spell>,
    left: u64,
    current: Vec<u32>,
}

/// Time in role before promotion, per role, over the history up to the
/// scope's day (changes after it are not seen).
pub(crate) fn time_in_role(population: &Population<'_>, privacy: Privacy) -> TimeInRole {
    let day = population.scope().as_of;
    let org = population.org();
    let mut tallies: HashMap<&RoleId, Tally> = HashMap::new();
    for person in population.people() {
        let history = org.history(person.id);
        let seen = history.partition_point(|c| c.effective_date <= day);
        let history = &history[..seen];
        let left_by = person.end_date.filter(|&end| end <= day);
        for (i, change) in history.iter().enumerate() {
            if !population.covers_role(&change.to) {
                continue;
            }
            // A spell that starts after the last day worked never ran.
            if left_by.is_some_and(|end| change.effective_date > end) {
                continue;
            }
            let days = |end: chrono::NaiveDate| {
                u32::try_from((end - change.effective_date).num_days().max(0)).unwrap_or(u32::MAX)
            };
            let tally = tallies.entry(&change.to).or_default();
            tally.people.insert(person.id);
            match (history.get(i + 1), left_by) {
                (Some(next), end) if end.is_none_or(|end| next.effective_date <= end) => {
                    tally.spells.push(Spell {
                        days: days(next.effective_date),
                        promoted: next.reason == ChangeReason::Promotion,
                    });
                }
                (_, Some(end)) => {
                    tally.left += 1;
                    tally.spells.push(Spell {
                        days: days(end),
                        promoted: false,
                    });
                }
                (_, None) => {
                    let so_far = days(day);
                    tally.current.push(so_far);
                    tally.spells.push(Spell {
                        days: so_far,
                        promoted: false,
                    });
                }
            }
        }
    }
    let roles = population
        .roles()
        .map(|role| {
            let tally = tallies.remove(&role.id).unwrap_or_default();
            let people = tally.people.len() as u64;
            let promotions = tally.spells.iter().filter(|s| s.promoted).count() as u64;
            let curve = KaplanMeier::new(tally.spells.iter().map(|s| (s.days, s.promoted)));
            let mut current = tally.current;
            current.sort_unstable();
            RoleTime {
                role: role.id.clone(),
                people,
                spells: tally.spells.len() as u64,
                promotions,
                censored: tally.spells.len() as u64 - promotions,
                censored_by_leaving: tally.left,
                quantiles: privacy.figure(
                    people,
                    Quantiles {
                        p25_days: curve.quantile(0.25),
                        median_days: curve.quantile(0.5),
                        p75_days: curve.quantile(0.75),
                    },
                ),
                current: privacy.figure(
                    current.len() as u64,
                    CurrentTenure {
                        n: current.len() as u64,
                        median_days: median(&current),
                        max_days: current.last().copied(),
                    },
                ),
            }
        })
        .collect();
    TimeInRole {
        scope: population.scope().clone(),
        roles,
    }
}

/// The median of sorted values, the mean of the middle two for an even count.
fn median(sorted: &[u32]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    Some(if n % 2 == 1 {
        f64::from(sorted[n / 2])
    } else {
        (f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0
    })
}

#[derive(Default)]
struct Counts {
    held: u64,
    promotions: u64,
    laterals: u64,
    leavers: u64,
}

/// The flow of `population` over `period`. Build the population on
/// [`Period::last_day`]: people who started later are not in it.
pub(crate) fn flow(population: &Population<'_>, period: Period, privacy: Privacy) -> Flow {
    let framework = population.framework();
    let org = population.org();
    let in_period = |day: NaiveDate| period.from <= day && day < period.to;
    let first_year = period.from.year();
    let years = year_windows(period);

    let mut pairs: BTreeMap<(usize, usize), (u64, u64)> = BTreeMap::new();
    let mut counts: HashMap<(usize, usize), Counts> = HashMap::new();
    let mut held_here: Vec<(usize, usize)> = Vec::new();
    for person in population.people() {
        let history = org.history(person.id);
        held_here.clear();
        for (i, change) in history.iter().enumerate() {
            let Some(role) = framework.role_position(change.to.as_str()) else {
                continue;
            };
            // The spell: from its effective day to the next change, or
            // through the last day worked.
            let start = change.effective_date.max(person.start_date);
            let end = match (history.get(i + 1), person.end_date) {
                (Some(next), Some(last)) => {
                    next.effective_date.min(last.succ_opt().unwrap_or(last))
                }
                (Some(next), None) => next.effective_date,
                (None, Some(last)) => last.succ_opt().unwrap_or(last),
                (None, None) => NaiveDate::MAX,
            };
            if population.covers(&framework.roles()[role]) {
                for (y, &(from, to)) in years.iter().enumerate() {
                    if start < to && from < end {
                        held_here.push((y, role));
                    }
                }
            }
            let Some(before) = &change.from else {
                continue;
            };
            if !in_period(change.effective_date) {
                continue;
            }
            let Some(from) = framework.role_position(before.as_str()) else {
                continue;
            };
            let covered = population.covers(&framework.roles()[from])
                || population.covers(&framework.roles()[role]);
            if covered {
                let pair = pairs.entry((from, role)).or_default();
                pair.0 += 1;
                if change.reason == ChangeReason::Correction {
                    pair.1 += 1;
                }
            }
            if population.covers(&framework.roles()[from]) {
                let y = (change.effective_date.year() - first_year) as usize;
                let cell = counts.entry((y, from)).or_default();
                match change.reason {
                    ChangeReason::Promotion => cell.promotions += 1,
                    ChangeReason::Lateral => cell.laterals += 1,
                    ChangeReason::Hire | ChangeReason::Correction => {}
                }
            }
        }
        if let Some(last) = person.end_date.filter(|&d| in_period(d))
            && let Some(role) = role_on(person, history, last)
            && let Some(role) = framework.role_position(role.as_str())
            && population.covers(&framework.roles()[role])
        {
            let y = (last.year() - first_year) as usize;
            counts.entry((y, role)).or_default().leavers += 1;
        }
        held_here.sort_unstable();
        held_here.dedup();
        for &cell in &held_here {
            counts.entry(cell).or_default().held += 1;
        }
    }

    let mut arrows = Vec::new();
    for t in framework.transitions() {
        let (Some(from), Some(to)) = (
            framework.role_position(t.from.as_str()),
            framework.role_position(t.to.as_str()),
        ) else {
            continue;
        };
        if !(population.covers_role(&t.from) || population.covers_role(&t.to)) {
            continue;
        }
        let moves = pairs.remove(&(from, to)).map_or(0, |(moves, _)| moves);
        arrows.push(ArrowFlow {
            from: t.from.clone(),
            to: t.to.clone(),
            kind: t.kind,
            moves,
        });
    }
    let unused = arrows
        .iter()
        .filter(|a| a.moves == 0)
        .map(|a| (a.from.clone(), a.to.clone()))
        .collect();
    let role_id = |i: usize| framework.roles()[i].id.clone();
    let off_graph = pairs
        .into_iter()
        .map(|((from, to), (moves, corrections))| MoveCount {
            from: role_id(from),
            to: role_id(to),
            moves,
            corrections,
        })
        .collect();

    let mut rates = Vec::new();
    for (y, &(from, to)) in years.iter().enumerate() {
        for (r, role) in framework.roles().iter().enumerate() {
            let Some(cell) = counts.get(&(y, r)) else {
                continue;
            };
            if cell.held == 0 {
                continue;
            }
            let rate = |events: u64| {
                privacy.figure(
                    cell.held,
                    YearRate {
                        events,
                        rate: events as f64 / cell.held as f64,
                    },
                )
            };
            rates.push(RoleYearRates {
                role: role.id.clone(),
                year: from.year(),
                from,
                to,
                held: cell.held,
                promotion: rate(cell.promotions),
                lateral: rate(cell.laterals),
                leaving: rate(cell.leavers),
            });
        }
    }

    Flow {
        scope: population.scope().clone(),
        period,
        arrows,
        unused,
        off_graph,
        rates,
    }
}

/// The calendar years the period touches, each clipped to it.
fn year_windows(period: Period) -> Vec<(NaiveDate, NaiveDate)> {
    let mut windows = Vec::new();
    let mut start = period.from;
    while start < period.to {
        let next_year = NaiveDate::from_ymd_opt(start.year() + 1, 1, 1).unwrap_or(NaiveDate::MAX);
        let end = next_year.min(period.to);
        windows.push((start, end));
        if end == NaiveDate::MAX {
            break;
        }
        start = end;
    }
    windows
}

/// The span of control of `population` on its day.
pub(crate) fn span(population: &Population<'_>, threshold: u32, privacy: Privacy) -> Span {
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

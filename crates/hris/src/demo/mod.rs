//! The deterministic demo-company generator: a CTO, layers of managers with
//! spans of 3–12, a pyramid of individual contributors, a few architects and
//! leavers, ten years of hires, promotions and lateral moves along the
//! framework's transitions (moves back into the main engineering stream are
//! left unused), a few administrators' corrections of a wrong hiring level,
//! and projects with team leads. Same framework, size and seed → the same
//! company, byte for byte. Roles are found by track, stream and seniority,
//! never by id, so any framework works.

mod load;
mod names;
mod rng;

pub use load::{LoadedDemo, load};

use std::collections::{HashMap, HashSet};
use std::io::Write;

use chrono::{Days, NaiveDate};
use climb_framework::{
    DesignationId, DesignationScope, Framework, Role, RoleId, StreamId, Track, TransitionKind,
};
use climb_people::{ChangeReason, Email, Status};

use crate::error::HrisError;
use crate::row::PersonRow;
use crate::write::write_rows;
use names::{FIRST_NAMES, LAST_NAMES, fold};
use rng::Rng;

/// The day a demo company is generated "as of" (fixed so that output never
/// depends on the clock). Hires are spread over the ten years before it.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default()
}

/// Days of company history before [`as_of`].
const HISTORY_DAYS: u64 = 3652;
/// Smallest and largest span of control the generator aims for.
const SPAN_MIN: usize = 3;
const SPAN_MAX: usize = 12;
/// At most this many projects, whatever the size.
const PROJECTS_MAX: usize = 5000;
/// Percent of people hired at the wrong level and corrected a few weeks later.
const CORRECTED_PERCENT: u64 = 3;
/// Why a wrong hiring level was corrected, as an administrator writes it.
const CORRECTION_NOTES: &[&str] = &[
    "Recorded at the wrong level when hired; corrected to match the signed offer.",
    "The hiring form picked the neighbouring level by mistake; fixed after the first payroll check.",
    "Level agreed in the final interview was not carried over to the record; corrected now.",
];

/// A generated company: plain data the store or the server can load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCompany {
    /// The day the data describes.
    pub as_of: NaiveDate,
    /// The seed it was generated from.
    pub seed: u64,
    /// Everyone, managers before the people reporting to them.
    pub people: Vec<DemoPerson>,
    /// Projects with members and designations.
    pub projects: Vec<DemoProject>,
}

impl DemoCompany {
    /// The people as import rows (every column filled where it applies).
    pub fn rows(&self) -> impl Iterator<Item = &PersonRow> {
        self.people.iter().map(|p| &p.row)
    }
}

/// One demo person: the CSV row and the role history behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPerson {
    /// The import row: every field set except a missing manager (the top)
    /// and the end date of people still active.
    pub row: PersonRow,
    /// Role changes, oldest first: a hire, then promotions and lateral moves
    /// along framework transitions (and, for a few, a correction outside
    /// them), ending in `row.role`.
    pub history: Vec<DemoRoleChange>,
}

/// One entry of a demo person's role history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRoleChange {
    /// Role held before (`None` for the hire).
    pub from: Option<RoleId>,
    /// Role held from `effective_date` on.
    pub to: RoleId,
    /// First day in the new role.
    pub effective_date: NaiveDate,
    /// Hire, promotion, lateral move or correction.
    pub reason: ChangeReason,
    /// Why a correction was made (set for corrections only).
    pub note: Option<String>,
}

/// A demo project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoProject {
    /// Unique display name.
    pub name: String,
    /// The day it started (after every member's first day).
    pub start_date: NaiveDate,
    /// The day it closed, if it did.
    pub closed_on: Option<NaiveDate>,
    /// Members' emails (active people of one team).
    pub members: Vec<Email>,
    /// Designations held on it (a team lead for some projects).
    pub designations: Vec<DemoDesignation>,
}

/// A designation held on a demo project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDesignation {
    /// Which designation (the framework's first project-scoped one).
    pub designation: DesignationId,
    /// The holder, one of the project's members.
    pub holder: Email,
    /// First day held (the project's start).
    pub start_date: NaiveDate,
    /// The holder's seniority is below the designation's usual minimum
    /// (allowed; flagged).
    pub below_usual_seniority: bool,
}

/// Writes the company's people as CSV in the import format; returns the
/// number of rows.
pub fn write_demo_csv<W: Write>(company: &DemoCompany, writer: W) -> Result<u64, HrisError> {
    write_rows(writer, company.rows())
}

/// The roles the generator draws from, found by track and seniority.
#[derive(Debug)]
struct Ladders<'f> {
    /// The main individual-contributor stream (engineering), if any.
    main_stream: Option<StreamId>,
    /// Hire-only role with reports (the CTO), if any.
    top: Option<&'f Role>,
    /// Management roles with reports, junior first.
    managers: Vec<&'f Role>,
    /// The main individual-contributor stream, junior first.
    ics: Vec<&'f Role>,
    /// Other individual-contributor roles (architects), junior first.
    specialists: Vec<&'f Role>,
}

impl<'f> Ladders<'f> {
    /// Whether the demo leaves the transition `from` → `to` unused: lateral
    /// moves back into the main individual-contributor stream, so that an
    /// analytics page has arrows nobody took.
    fn left_unused(&self, from: &Role, to: &Role, kind: TransitionKind) -> bool {
        kind == TransitionKind::Lateral
            && from.stream != to.stream
            && self.main_stream.as_ref() == Some(&to.stream)
    }

    fn find(framework: &'f Framework) -> Self {
        let roles = framework.roles();
        let track = |role: &Role| framework.stream_of(role).track;
        let by_seniority = |mut list: Vec<&'f Role>| {
            list.sort_by_key(|r| r.seniority);
            list
        };
        let top = roles
            .iter()
            .filter(|r| r.reports && r.hire_only)
            .max_by_key(|r| r.seniority)
            .or_else(|| {
                roles
                    .iter()
                    .filter(|r| r.reports && track(r) == Track::Executive)
                    .max_by_key(|r| r.seniority)
            });
        let is_top = |r: &Role| top.is_some_and(|t| t.id == r.id);
        let mut managers: Vec<&Role> = roles
            .iter()
            .filter(|r| r.reports && !is_top(r) && track(r) == Track::Management)
            .collect();
        if managers.is_empty() {
            managers = roles.iter().filter(|r| r.reports && !is_top(r)).collect();
        }
        // The main IC stream: the "ic" stream with an entry role and the most roles.
        let main_stream = framework
            .streams()
            .iter()
            .filter(|s| s.track == Track::Ic)
            .max_by_key(|s| {
                let in_stream: Vec<&Role> = framework.roles_in(&s.id).collect();
                (in_stream.iter().any(|r| r.entry), in_stream.len())
            })
            .map(|s| s.id.clone());
        let main_stream_ref = main_stream.as_ref();
        let mut ics: Vec<&Role> = roles
            .iter()
            .filter(|r| !r.reports && Some(&r.stream) == main_stream_ref)
            .collect();
        let specialists: Vec<&Role> = roles
            .iter()
            .filter(|r| !r.reports && track(r) == Track::Ic && Some(&r.stream) != main_stream_ref)
            .collect();
        if ics.is_empty() {
            ics = roles.iter().filter(|r| !r.reports && !is_top(r)).collect();
        }
        if ics.is_empty() {
            ics = roles.iter().filter(|r| !is_top(r)).collect();
        }
        if ics.is_empty() {
            ics = roles.iter().collect();
        }
        Ladders {
            main_stream,
            top,
            managers: by_seniority(managers),
            ics: by_seniority(ics),
            specialists: by_seniority(specialists),
        }
    }
}

/// A person while the company is being built.
#[derive(Debug)]
struct Node<'f> {
    role: &'f Role,
    manager: Option<usize>,
    /// 0 for individual contributors, 1.. for manager layers bottom-up.
    layer: usize,
    status: Status,
    start: NaiveDate,
    end: Option<NaiveDate>,
}

/// Generates a company of `people` people (0 gives an empty company).
/// Deterministic: the same framework, size and seed give the same company.
pub fn generate(framework: &Framework, people: usize, seed: u64) -> DemoCompany {
    let mut rng = Rng::new(seed);
    let ladders = Ladders::find(framework);
    let today = as_of();
    let founded = today - Days::new(HISTORY_DAYS);
    let mut nodes: Vec<Node<'_>> = Vec::with_capacity(people);
    if people == 0 {
        return DemoCompany {
            as_of: today,
            seed,
            people: Vec::new(),
            projects: Vec::new(),
        };
    }

    let leavers = if people >= 20 { people * 3 / 100 } else { 0 };
    let active = people - leavers;
    let top = ladders.top.filter(|_| active >= 1).map(|role| {
        nodes.push(Node {
            role,
            manager: None,
            layer: usize::MAX,
            status: Status::Active,
            start: founded + Days::new(rng.below(60)),
            end: None,
        });
        0
    });
    let rest = active - usize::from(top.is_some());
    let mut specialists = if !ladders.specialists.is_empty() && rest >= 40 {
        (rest * 15 / 1000).max(1)
    } else {
        0
    };
    let (layer_roles, layer_counts, ics) = shape(&ladders.managers, rest, &mut specialists);

    // Managers, top layer first, hired earlier the higher they sit.
    let depth = layer_counts.len();
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for level in (0..depth).rev() {
        for _ in 0..layer_counts[level] {
            let latest = HISTORY_DAYS * (depth - level) as u64 / (depth + 1) as u64;
            let start = founded + Days::new(grown_offset(&mut rng, latest));
            layers[level].push(nodes.len());
            nodes.push(Node {
                role: layer_roles[level],
                manager: None,
                layer: level + 1,
                status: Status::Active,
                start,
                end: None,
            });
        }
    }
    let specialist_weights = pyramid(ladders.specialists.len());
    let architects: Vec<usize> = (0..specialists)
        .map(|_| {
            let role = ladders.specialists[rng.weighted(&specialist_weights)];
            let start = founded + Days::new(grown_offset(&mut rng, HISTORY_DAYS - 1));
            nodes.push(Node {
                role,
                manager: None,
                layer: 0,
                status: Status::Active,
                start,
                end: None,
            });
            nodes.len() - 1
        })
        .collect();
    let ic_weights = pyramid(ladders.ics.len());
    let contributors: Vec<usize> = (0..ics)
        .map(|_| {
            let role = ladders.ics[rng.weighted(&ic_weights)];
            let start = founded + Days::new(grown_offset(&mut rng, HISTORY_DAYS - 1));
            nodes.push(Node {
                role,
                manager: None,
                layer: 0,
                status: Status::Active,
                start,
                end: None,
            });
            nodes.len() - 1
        })
        .collect();

    // Reporting lines, top-down.
    if let Some(highest) = layers.last() {
        for &m in highest {
            nodes[m].manager = top;
        }
    }
    for level in (1..depth).rev() {
        let mut children = layers[level - 1].clone();
        if level == 1 {
            children.extend(&architects);
        }
        attach(&mut nodes, &mut children, &layers[level], &mut rng);
    }
    if depth < 2 {
        for &a in &architects {
            nodes[a].manager = top.or_else(|| layers.first().and_then(|l| l.first().copied()));
        }
    }
    match layers.first() {
        Some(teams) => attach(&mut nodes, &mut contributors.clone(), teams, &mut rng),
        None => {
            for &c in &contributors {
                nodes[c].manager = top;
            }
        }
    }

    // Leavers: individual contributors who worked here for a while; they
    // keep their last manager (a first-level manager) and have no reports.
    for _ in 0..leavers {
        let role = ladders.ics[rng.weighted(&ic_weights)];
        let start_offset = grown_offset(&mut rng, HISTORY_DAYS - 200);
        let start = founded + Days::new(start_offset);
        let stay = rng.range(120, (HISTORY_DAYS - start_offset) as i64 - 1);
        let end = start + Days::new(stay.max(1) as u64);
        let manager = layers
            .first()
            .filter(|l| !l.is_empty())
            .map(|l| l[rng.index(l.len())])
            .or(top);
        nodes.push(Node {
            role,
            manager,
            layer: 0,
            status: Status::Left,
            start,
            end: Some(end),
        });
    }

    let emails = name_people(&mut rng, nodes.len());
    let mut people = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let history = history(framework, &ladders, node, today, &mut rng);
        let (name, email) = &emails[i];
        people.push(DemoPerson {
            row: PersonRow {
                email: email.clone(),
                name: Some(name.clone()),
                role: Some(node.role.id.clone()),
                manager_email: node.manager.map(|m| emails[m].1.clone()),
                start_date: Some(node.start),
                status: Some(node.status),
                end_date: node.end,
            },
            history,
        });
    }
    let projects = projects(framework, &nodes, &layers, &people, today, &mut rng);
    DemoCompany {
        as_of: today,
        seed,
        people,
        projects,
    }
}

/// Decides the manager layers for `rest` people below the top: the role of
/// each layer (bottom-up), how many managers in it, and how many individual
/// contributors remain. Each layer has about 7 (first level) or 4–5 (above)
/// reports per manager; when the framework's ladder runs out and more than
/// a span still remains, its highest role is stacked again (senior VPs).
/// May lower `specialists` for very small companies.
fn shape<'f>(
    ladder: &[&'f Role],
    rest: usize,
    specialists: &mut usize,
) -> (Vec<&'f Role>, Vec<usize>, usize) {
    let mut roles = Vec::new();
    let mut counts = Vec::new();
    if ladder.is_empty() || rest == 0 {
        *specialists = (*specialists).min(rest);
        return (roles, counts, rest - *specialists);
    }
    let mut ics = rest.saturating_sub(*specialists);
    for _ in 0..16 {
        roles.clear();
        counts.clear();
        let mut children = ics;
        let mut level = 0usize;
        loop {
            let pool = children + if level == 1 { *specialists } else { 0 };
            if pool == 0 || (level > 0 && pool < SPAN_MIN) {
                break;
            }
            if level >= ladder.len() && pool <= SPAN_MAX {
                break;
            }
            let per_manager = if level == 0 { 15 } else { 9 }; // ×2: 7.5 and 4.5
            let count = (pool * 2).div_ceil(per_manager).max(1);
            roles.push(ladder[level.min(ladder.len() - 1)]);
            counts.push(count);
            children = count;
            level += 1;
        }
        let managers: usize = counts.iter().sum();
        let next = rest.saturating_sub(*specialists + managers);
        if next == ics {
            break;
        }
        ics = next;
    }
    let managers: usize = counts.iter().sum();
    if managers + *specialists > rest {
        *specialists = rest.saturating_sub(managers);
    }
    (roles, counts, rest.saturating_sub(managers + *specialists))
}

/// Gives each of `parents` a share of `children` (shuffled), aiming for spans
/// of 3–12 with some variety.
fn attach(nodes: &mut [Node<'_>], children: &mut [usize], parents: &[usize], rng: &mut Rng) {
    if parents.is_empty() {
        return;
    }
    rng.shuffle(children);
    let sizes = partition(children.len(), parents.len(), rng);
    let mut next = 0;
    for (parent, size) in parents.iter().zip(sizes) {
        for &child in &children[next..next + size] {
            nodes[child].manager = Some(*parent);
        }
        next += size;
    }
}

/// Splits `total` into `parts` sizes: even, then jittered while every size
/// stays within 3–12 (when the even split already does).
fn partition(total: usize, parts: usize, rng: &mut Rng) -> Vec<usize> {
    let base = total / parts;
    let extra = total % parts;
    let mut sizes: Vec<usize> = (0..parts).map(|i| base + usize::from(i < extra)).collect();
    for _ in 0..parts * 2 {
        let (a, b) = (rng.index(parts), rng.index(parts));
        let k = rng.range(1, 3) as usize;
        if a != b && sizes[a] >= SPAN_MIN + k && sizes[b] + k <= SPAN_MAX {
            sizes[a] -= k;
            sizes[b] += k;
        }
    }
    sizes
}

/// Weights for a ladder of `len` roles, junior first: a pyramid that is
/// widest at the second level (more engineers than juniors, many more than
/// staff or principal).
fn pyramid(len: usize) -> Vec<u64> {
    (0..len)
        .map(|i| {
            let rank = (len - i) as u64;
            if i == 0 && len > 2 {
                rank * 3
            } else {
                rank * 5
            }
        })
        .collect()
}

/// A day offset in `0..=latest`, denser towards the end (a growing company
/// hires more every year).
fn grown_offset(rng: &mut Rng, latest: u64) -> u64 {
    ((latest as f64) * rng.unit().sqrt()) as u64
}

/// Unique names and `first.last@example.com` emails (digits appended on a
/// clash: `ana.kim`, `ana.kim2`, …).
fn name_people(rng: &mut Rng, count: usize) -> Vec<(String, Email)> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let first = FIRST_NAMES[rng.index(FIRST_NAMES.len())];
        let last = LAST_NAMES[rng.index(LAST_NAMES.len())];
        let base = format!("{}.{}", fold(first), fold(last));
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let local = if *n == 1 { base } else { format!("{base}{n}") };
        // Folded names are ASCII letters and a dot, so this always parses.
        if let Ok(email) = Email::parse(&format!("{local}@example.com")) {
            out.push((format!("{first} {last}"), email));
        }
    }
    out
}

/// A role history ending in the node's role: walks back along transitions
/// into it (promotions preferred, lateral moves back into the main stream
/// never taken), one step per 1.5–3.5 years of tenure, then dates the steps
/// in order between the first and last day. A few people are first hired at
/// a neighbouring level and corrected a few weeks later.
fn history(
    framework: &Framework,
    ladders: &Ladders<'_>,
    node: &Node<'_>,
    today: NaiveDate,
    rng: &mut Rng,
) -> Vec<DemoRoleChange> {
    let last_day = node.end.unwrap_or(today);
    let tenure = (last_day - node.start).num_days().max(0) as u64;
    let per_step = rng.range(540, 1280) as u64;
    let wanted = (tenure / per_step).min(6) as usize;
    let mut path: Vec<&Role> = vec![node.role];
    let mut visited: HashSet<&str> = HashSet::from([node.role.id.as_str()]);
    while path.len() <= wanted {
        let Some(current) = path.last() else { break };
        let candidates: Vec<(&Role, TransitionKind)> = framework
            .transitions_into(current.id.as_str())
            .filter_map(|t| framework.role(t.from.as_str()).map(|r| (r, t.kind)))
            .filter(|(r, _)| !r.hire_only && !visited.contains(r.id.as_str()))
            .filter(|(r, _)| ladders.top.is_none_or(|top| top.id != r.id))
            .filter(|(r, kind)| !ladders.left_unused(r, current, *kind))
            .collect();
        if candidates.is_empty() {
            break;
        }
        let weights: Vec<u64> = candidates
            .iter()
            .map(|(_, kind)| match kind {
                TransitionKind::Promotion => 4,
                TransitionKind::Lateral => 1,
            })
            .collect();
        let (role, _) = candidates[rng.weighted(&weights)];
        visited.insert(role.id.as_str());
        path.push(role);
    }
    path.reverse();
    let mut changes = Vec::with_capacity(path.len() + 1);
    changes.push(DemoRoleChange {
        from: None,
        to: path[0].id.clone(),
        effective_date: node.start,
        reason: ChangeReason::Hire,
        note: None,
    });
    let segment = tenure / path.len() as u64;
    for (j, pair) in path.windows(2).enumerate() {
        let offset = segment * (j as u64 + 1) + rng.below(segment / 3 + 1);
        let kind = framework
            .transition(pair[0].id.as_str(), pair[1].id.as_str())
            .map_or(TransitionKind::Promotion, |t| t.kind);
        changes.push(DemoRoleChange {
            from: Some(pair[0].id.clone()),
            to: pair[1].id.clone(),
            effective_date: node.start + Days::new(offset),
            reason: ChangeReason::from(kind),
            note: None,
        });
    }
    if !path[0].hire_only && rng.percent(CORRECTED_PERCENT) {
        correct_hiring_level(framework, &mut changes, last_day, rng);
    }
    changes
}

/// Turns the hire of `changes` into a hire at a neighbouring level of the
/// same stream followed, two to six weeks later, by an administrator's
/// correction to the intended role. Only a level with no transition into
/// the intended role is used, so the correction is outside the framework's
/// arrows; nothing changes when there is no such level or no room before
/// the next change.
fn correct_hiring_level(
    framework: &Framework,
    changes: &mut Vec<DemoRoleChange>,
    last_day: NaiveDate,
    rng: &mut Rng,
) {
    let Some(hire) = changes.first() else { return };
    let Some(intended) = framework.role(hire.to.as_str()) else {
        return;
    };
    let corrected_on = hire.effective_date + Days::new(rng.range(14, 42) as u64);
    let next_day = changes.get(1).map_or(last_day, |c| c.effective_date);
    if corrected_on >= next_day {
        return;
    }
    let wrong = framework
        .roles_in(&intended.stream)
        .filter(|r| r.id != intended.id && !r.hire_only)
        .filter(|r| {
            framework
                .transition(r.id.as_str(), intended.id.as_str())
                .is_none()
        })
        .min_by_key(|r| {
            let distance = i32::from(r.seniority.get()) - i32::from(intended.seniority.get());
            (distance.abs(), distance < 0)
        });
    let Some(wrong) = wrong else { return };
    let note = CORRECTION_NOTES[rng.index(CORRECTION_NOTES.len())];
    let intended_id = intended.id.clone();
    changes[0].to = wrong.id.clone();
    changes.insert(
        1,
        DemoRoleChange {
            from: Some(wrong.id.clone()),
            to: intended_id,
            effective_date: corrected_on,
            reason: ChangeReason::Correction,
            note: Some(note.to_owned()),
        },
    );
}

const PROJECT_ADJECTIVES: &[&str] = &[
    "Amber", "Blue", "Bright", "Silent", "Swift", "Golden", "Northern", "Crimson", "Quiet", "Bold",
    "Clear", "Distant", "Early", "Hidden", "Iron", "Lunar", "Polar", "Rapid", "Silver", "Solar",
];
const PROJECT_NOUNS: &[&str] = &[
    "Atlas", "Beacon", "Bridge", "Compass", "Delta", "Falcon", "Harbor", "Horizon", "Lantern",
    "Meridian", "Nimbus", "Orbit", "Pioneer", "Quartz", "Relay", "Summit", "Tide", "Vertex",
    "Willow", "Zephyr",
];

/// Projects drawn from first-level teams: 3–8 members of one team, some
/// closed, about half with a team lead (usually senior, sometimes not).
fn projects(
    framework: &Framework,
    nodes: &[Node<'_>],
    layers: &[Vec<usize>],
    people: &[DemoPerson],
    today: NaiveDate,
    rng: &mut Rng,
) -> Vec<DemoProject> {
    let Some(teams_managers) = layers.first() else {
        return Vec::new();
    };
    let mut teams: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        if node.layer == 0
            && node.status == Status::Active
            && let Some(m) = node.manager
        {
            teams.entry(m).or_default().push(i);
        }
    }
    let teams: Vec<&Vec<usize>> = teams_managers
        .iter()
        .filter_map(|m| teams.get(m))
        .filter(|t| t.len() >= 2)
        .collect();
    if teams.is_empty() {
        return Vec::new();
    }
    let designation = framework
        .designations()
        .iter()
        .find(|d| d.scope == DesignationScope::Project);
    let count = teams.len().div_ceil(2).min(PROJECTS_MAX);
    let mut names_used: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let team = teams[rng.index(teams.len())];
        let mut pool = team.clone();
        rng.shuffle(&mut pool);
        let size = (rng.range(3, 8) as usize).min(pool.len());
        pool.truncate(size);
        pool.sort_unstable();
        let latest_start = pool.iter().map(|&i| nodes[i].start).max().unwrap_or(today);
        let room = (today - latest_start).num_days().clamp(0, 700);
        let start_date = latest_start + Days::new(rng.range(0, room) as u64);
        let open_for = (today - start_date).num_days();
        let closed_on = (open_for > 60 && rng.percent(30))
            .then(|| start_date + Days::new(rng.range(30, open_for) as u64));
        let base = format!(
            "{} {}",
            PROJECT_ADJECTIVES[rng.index(PROJECT_ADJECTIVES.len())],
            PROJECT_NOUNS[rng.index(PROJECT_NOUNS.len())]
        );
        let n = names_used.entry(base.clone()).or_insert(0);
        *n += 1;
        let name = if *n == 1 { base } else { format!("{base} {n}") };
        let mut designations = Vec::new();
        if let Some(designation) = designation.filter(|_| rng.percent(50)) {
            let eligible: Vec<usize> = pool
                .iter()
                .copied()
                .filter(|&i| designation.is_eligible(&nodes[i].role.stream))
                .collect();
            let usual: Vec<usize> = eligible
                .iter()
                .copied()
                .filter(|&i| !designation.is_below_usual(nodes[i].role.seniority))
                .collect();
            let from = if !usual.is_empty() && rng.percent(85) {
                &usual
            } else {
                &eligible
            };
            if !from.is_empty() {
                let holder = from[rng.index(from.len())];
                designations.push(DemoDesignation {
                    designation: designation.id.clone(),
                    holder: people[holder].row.email.clone(),
                    start_date,
                    below_usual_seniority: designation.is_below_usual(nodes[holder].role.seniority),
                });
            }
        }
        out.push(DemoProject {
            name,
            start_date,
            closed_on,
            members: pool.iter().map(|&i| people[i].row.email.clone()).collect(),
            designations,
        });
    }
    out
}

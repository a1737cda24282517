//! Whole-file validation: every row is checked on its own as it streams in
//! ([`Validator::push`]), then the reporting lines of the file and the
//! existing people are checked together ([`Validator::finish`]): unknown
//! managers, managers without reports, leavers with reports, cycles, and rows
//! that depend on a rejected row. Accepted re-import rows that change a
//! role along no transition of the framework come back as warnings. Pure:
//! no I/O.
//!
//! Memory: the validated rows are kept (in domain types, roughly 250–400
//! bytes a row with the email index), never the raw file.

// Keys are emails and row numbers from the file; foldhash hashes them
// several times faster than the standard library's SipHash.
use foldhash::HashMap;
use std::collections::hash_map::Entry as MapEntry;

use chrono::NaiveDate;
use climb_framework::{Framework, Role};
use climb_people::{Email, NameProblem, Status};

use crate::columns::Column;
use crate::error::{RowError, RowErrorKind};
use crate::row::{ExistingPerson, PersonRow, RawRow, parse_date, parse_status};
use crate::warning::{RowWarning, RowWarningKind};

/// The people the store holds already, keyed by email: what re-import rows
/// are checked against (blank cells keep these values).
#[derive(Debug, Clone, Default)]
pub struct Existing {
    people: HashMap<Email, ExistingPerson>,
}

impl Existing {
    /// No existing people (a first import).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces a person.
    pub fn insert(&mut self, email: Email, person: ExistingPerson) {
        self.people.insert(email, person);
    }

    /// The person with this email, if any.
    pub fn get(&self, email: &Email) -> Option<&ExistingPerson> {
        self.people.get(email)
    }

    /// How many people.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// Whether there is nobody.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// Every person, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&Email, &ExistingPerson)> {
        self.people.iter()
    }
}

impl FromIterator<(Email, ExistingPerson)> for Existing {
    fn from_iter<I: IntoIterator<Item = (Email, ExistingPerson)>>(iter: I) -> Self {
        Self {
            people: iter.into_iter().collect(),
        }
    }
}

/// The outcome of validating a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// The rows that passed, ordered so that a manager who is in the file
    /// comes before the people reporting to them.
    pub rows: Vec<PersonRow>,
    /// Every rejected row with its reason, by row number (a row may have
    /// several). Rows skipped because they depend on a rejected row have
    /// the code `manager_row_rejected`.
    pub errors: Vec<RowError>,
    /// Accepted rows of existing people whose role change is no transition
    /// of the framework (it is recorded as a correction), by row number.
    pub warnings: Vec<RowWarning>,
    /// Data rows read.
    pub rows_read: u64,
}

impl ImportPlan {
    /// Whether every row passed.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Validates rows against a framework and the existing people, all at once:
/// a pure function over its inputs.
pub fn plan(
    framework: &Framework,
    existing: &Existing,
    rows: impl IntoIterator<Item = RawRow>,
) -> ImportPlan {
    let mut validator = Validator::new(framework, existing);
    for row in rows {
        validator.push(row.row, row.line, row.cells());
    }
    validator.finish()
}

/// One data row as the validator keeps it.
#[derive(Debug)]
struct Entry {
    row: u64,
    line: u64,
    /// The normalised email, when the row had a valid one.
    email: Option<Email>,
    /// The validated row; `None` once rejected.
    person: Option<PersonRow>,
    /// Whether the store already holds this email.
    existing: bool,
}

/// Streaming validator: [`Validator::push`] each row as it is read, then
/// [`Validator::finish`] for the checks that need the whole file.
#[derive(Debug)]
pub struct Validator<'a> {
    framework: &'a Framework,
    existing: &'a Existing,
    entries: Vec<Entry>,
    /// First entry index of every valid email in the file.
    index: HashMap<Email, u32>,
    errors: Vec<RowError>,
}

impl<'a> Validator<'a> {
    /// A validator for one file.
    pub fn new(framework: &'a Framework, existing: &'a Existing) -> Self {
        Self {
            framework,
            existing,
            entries: Vec::new(),
            index: HashMap::default(),
            errors: Vec::new(),
        }
    }

    /// Checks one row on its own (fields, dates, role, duplicates) and keeps
    /// it for the whole-file checks. `cells` is indexed like [`Column::ALL`];
    /// blank cells must be `None` or empty.
    pub fn push(&mut self, row: u64, line: u64, cells: [Option<&str>; 7]) {
        let cell = |column: Column| {
            cells[column.index()]
                .map(str::trim)
                .filter(|value| !value.is_empty())
        };
        let mut problems = Vec::new();
        let email = match cell(Column::Email) {
            None => {
                problems.push(RowErrorKind::MissingField {
                    column: "email",
                    for_new_person: false,
                });
                None
            }
            Some(raw) => match Email::parse(raw) {
                Ok(email) => Some(email),
                Err(_) => {
                    problems.push(RowErrorKind::InvalidEmail {
                        column: "email",
                        value: raw.to_owned(),
                    });
                    None
                }
            },
        };
        let existing = email.as_ref().and_then(|e| self.existing.get(e));
        let is_new = existing.is_none();

        let name = cell(Column::Name).map(str::to_owned);
        if name.is_none() && is_new {
            problems.push(RowErrorKind::MissingField {
                column: "name",
                for_new_person: true,
            });
        }
        if let Some(problem) = name.as_deref().and_then(NameProblem::of) {
            problems.push(RowErrorKind::InvalidName { problem });
        }
        let role = match cell(Column::Role) {
            None => {
                if is_new {
                    problems.push(RowErrorKind::MissingField {
                        column: "role",
                        for_new_person: true,
                    });
                }
                None
            }
            Some(raw) => match self.lookup_role(raw) {
                Some(role) => Some(role.id.clone()),
                None => {
                    problems.push(RowErrorKind::UnknownRole {
                        role: raw.to_owned(),
                    });
                    None
                }
            },
        };
        let manager_email = cell(Column::ManagerEmail).and_then(|raw| match Email::parse(raw) {
            Ok(email) => Some(email),
            Err(_) => {
                problems.push(RowErrorKind::InvalidEmail {
                    column: "manager_email",
                    value: raw.to_owned(),
                });
                None
            }
        });
        let mut date = |column: Column| {
            cell(column).and_then(|raw| {
                let parsed = parse_date(raw);
                if parsed.is_none() {
                    problems.push(RowErrorKind::InvalidDate {
                        column: column.name(),
                        value: raw.to_owned(),
                    });
                }
                parsed
            })
        };
        let start_date = date(Column::StartDate);
        let end_date = date(Column::EndDate);
        let status_cell = cell(Column::Status);
        let status = status_cell.and_then(|raw| {
            let parsed = parse_status(raw);
            if parsed.is_none() {
                problems.push(RowErrorKind::InvalidStatus {
                    value: raw.to_owned(),
                });
            }
            parsed
        });
        let status_ok = status_cell.is_none() || status.is_some();
        let dates_ok = cell(Column::StartDate).is_none() == start_date.is_none()
            && cell(Column::EndDate).is_none() == end_date.is_none();
        if status_ok && dates_ok {
            date_problems(existing, start_date, status, end_date, &mut problems);
        }

        if let Some(email) = &email {
            let next = self.next_index();
            match self.index.entry(email.clone()) {
                MapEntry::Occupied(first) => {
                    let first_row = self.entries[*first.get() as usize].row;
                    problems.push(RowErrorKind::DuplicateEmail { first_row });
                }
                MapEntry::Vacant(slot) => {
                    slot.insert(next);
                }
            }
        }

        let person = match (&email, problems.is_empty()) {
            (Some(email), true) => Some(PersonRow {
                email: email.clone(),
                name,
                role,
                manager_email,
                start_date,
                status,
                end_date,
            }),
            _ => None,
        };
        for kind in problems {
            self.errors.push(RowError {
                row,
                line,
                email: email.as_ref().map(ToString::to_string),
                kind,
            });
        }
        self.entries.push(Entry {
            row,
            line,
            existing: existing.is_some(),
            email,
            person,
        });
    }

    /// Records a row that could not be read at all (wrong cell count, not
    /// UTF-8). Its email, when readable, still identifies it, so rows naming
    /// it as their manager are skipped rather than reported as unknown.
    pub fn push_unreadable(
        &mut self,
        row: u64,
        line: u64,
        email: Option<&str>,
        kind: RowErrorKind,
    ) {
        let email = email.and_then(|raw| Email::parse(raw).ok());
        if let Some(email) = &email {
            let next = self.next_index();
            self.index.entry(email.clone()).or_insert(next);
        }
        self.errors.push(RowError {
            row,
            line,
            email: email.as_ref().map(ToString::to_string),
            kind,
        });
        self.entries.push(Entry {
            row,
            line,
            existing: email
                .as_ref()
                .is_some_and(|e| self.existing.get(e).is_some()),
            email,
            person: None,
        });
    }

    /// Rows pushed so far.
    pub fn rows_read(&self) -> u64 {
        self.entries.len() as u64
    }

    /// Runs the whole-file checks and returns the plan.
    pub fn finish(self) -> ImportPlan {
        let Validator {
            framework,
            existing,
            mut entries,
            index,
            mut errors,
        } = self;
        let rows_read = entries.len() as u64;
        let mut graph = Graph::build(framework, existing, &entries, &index);
        graph.check(&mut entries, &mut errors);
        let order = graph.topological_order(&entries);
        errors.sort_by_key(|e| (e.row, e.line));
        let warnings = correction_warnings(framework, existing, &entries);
        let mut slots: Vec<Option<PersonRow>> = entries.into_iter().map(|e| e.person).collect();
        let rows = order
            .into_iter()
            .filter_map(|i| slots.get_mut(i as usize).and_then(Option::take))
            .collect();
        ImportPlan {
            rows,
            errors,
            warnings,
            rows_read,
        }
    }

    fn next_index(&self) -> u32 {
        u32::try_from(self.entries.len()).unwrap_or(u32::MAX)
    }

    fn lookup_role(&self, raw: &str) -> Option<&'a Role> {
        self.framework
            .role(raw)
            .or_else(|| self.framework.role(&raw.to_ascii_lowercase()))
    }
}

/// A warning for every accepted row that gives an existing person another
/// role along no transition of the framework, in row order. The store
/// records such a change as a correction; the domain would have refused it
/// as a role change with the same code.
fn correction_warnings(
    framework: &Framework,
    existing: &Existing,
    entries: &[Entry],
) -> Vec<RowWarning> {
    entries
        .iter()
        .filter(|entry| entry.existing)
        .filter_map(|entry| {
            let person = entry.person.as_ref()?;
            let to = person.role.as_ref()?;
            let from = &existing.get(&person.email)?.role;
            if from == to {
                return None;
            }
            let (from_text, to_text) = (from.to_string(), to.to_string());
            let kind = if framework.role(to.as_str()).is_some_and(|r| r.hire_only) {
                RowWarningKind::HireOnlyRole {
                    from: from_text,
                    to: to_text,
                }
            } else if framework.transition(from.as_str(), to.as_str()).is_none() {
                RowWarningKind::NoSuchTransition {
                    from: from_text,
                    to: to_text,
                }
            } else {
                return None;
            };
            Some(RowWarning {
                row: entry.row,
                line: entry.line,
                email: person.email.to_string(),
                kind,
            })
        })
        .collect()
}

/// The date and status rules of one row, with blank cells taking the
/// existing person's values.
fn date_problems(
    existing: Option<&ExistingPerson>,
    start: Option<NaiveDate>,
    status: Option<Status>,
    end: Option<NaiveDate>,
    problems: &mut Vec<RowErrorKind>,
) {
    let effective_status = status
        .or(existing.map(|e| e.status))
        .unwrap_or(Status::Active);
    let effective_start = start.or(existing.map(|e| e.start_date));
    let effective_end = end.or(existing.and_then(|e| e.end_date));
    if status == Some(Status::Active) && existing.is_some_and(|e| e.status == Status::Left) {
        problems.push(RowErrorKind::CannotReactivate);
    }
    match effective_status {
        Status::Left if effective_end.is_none() => problems.push(RowErrorKind::MissingEndDate),
        Status::Active if end.is_some() => problems.push(RowErrorKind::EndDateWhileActive),
        _ => {}
    }
    if let (Some(start), Some(end)) = (effective_start, effective_end)
        && end < start
    {
        problems.push(RowErrorKind::EndBeforeStart { start, end });
    }
}

/// Sentinel for "no node".
const NONE: u32 = u32::MAX;

/// The longest cycle printed in full in a message.
const CYCLE_SHOWN: usize = 12;

/// The reporting graph over the file's rows (nodes `0..entries.len()`) and
/// the existing people absent from the file (the nodes after them).
#[derive(Debug)]
struct Graph<'a> {
    framework: &'a Framework,
    entries: usize,
    /// Emails of the existing people absent from the file, by node - entries.
    extra_emails: Vec<&'a Email>,
    /// Whether a file node is the first row with its email (later
    /// duplicates are rejected and take no part in the graph).
    live: Vec<bool>,
    /// The store's values per node (`None`: a new person, or not live).
    ex_role: Vec<Option<&'a Role>>,
    ex_status: Vec<Option<Status>>,
    ex_manager: Vec<u32>,
    /// Children by the store's reporting lines, as compressed adjacency.
    ex_children_start: Vec<u32>,
    ex_children: Vec<u32>,
    /// The manager each file row names, or `NONE`.
    row_manager: Vec<u32>,
    /// Emails named as managers that are nowhere, per file node.
    unknown_manager: Vec<bool>,
}

impl<'a> Graph<'a> {
    fn build(
        framework: &'a Framework,
        existing: &'a Existing,
        entries: &[Entry],
        index: &HashMap<Email, u32>,
    ) -> Graph<'a> {
        let n = entries.len();
        let mut extra: Vec<(&'a Email, &'a ExistingPerson)> = existing
            .iter()
            .filter(|(email, _)| !index.contains_key(*email))
            .collect();
        // Deterministic numbering, whatever the map's order.
        extra.sort_by(|a, b| a.0.cmp(b.0));
        let extra_index: HashMap<&Email, u32> = extra
            .iter()
            .enumerate()
            .map(|(i, (email, _))| (*email, to_node(n + i)))
            .collect();
        let lookup = |email: &Email| {
            index
                .get(email)
                .or_else(|| extra_index.get(email))
                .copied()
                .unwrap_or(NONE)
        };
        let total = n + extra.len();
        let live: Vec<bool> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                e.email
                    .as_ref()
                    .is_some_and(|email| index.get(email) == Some(&to_node(i)))
            })
            .collect();
        let mut ex_role = Vec::with_capacity(total);
        let mut ex_status = Vec::with_capacity(total);
        let mut ex_manager = Vec::with_capacity(total);
        let stored = entries
            .iter()
            .zip(&live)
            .map(|(e, live)| {
                e.email
                    .as_ref()
                    .filter(|_| *live && e.existing)
                    .and_then(|email| existing.get(email))
            })
            .chain(extra.iter().map(|(_, person)| Some(*person)));
        for person in stored {
            ex_role.push(person.and_then(|p| framework.role(p.role.as_str())));
            ex_status.push(person.map(|p| p.status));
            ex_manager.push(
                person
                    .and_then(|p| p.manager_email.as_ref())
                    .map_or(NONE, lookup),
            );
        }
        let mut counts = vec![0u32; total + 1];
        for &m in &ex_manager {
            if m != NONE {
                counts[m as usize + 1] += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut fill = counts.clone();
        let mut ex_children = vec![0u32; counts[total] as usize];
        for (child, &m) in ex_manager.iter().enumerate() {
            if m != NONE {
                ex_children[fill[m as usize] as usize] = to_node(child);
                fill[m as usize] += 1;
            }
        }
        let mut unknown_manager = vec![false; n];
        let row_manager = entries
            .iter()
            .enumerate()
            .map(
                |(i, e)| match e.person.as_ref().and_then(|p| p.manager_email.as_ref()) {
                    None => NONE,
                    Some(m) => {
                        let node = lookup(m);
                        unknown_manager[i] = node == NONE;
                        node
                    }
                },
            )
            .collect();
        Graph {
            framework,
            entries: n,
            extra_emails: extra.into_iter().map(|(email, _)| email).collect(),
            live,
            ex_role,
            ex_status,
            ex_manager,
            ex_children_start: counts,
            ex_children,
            row_manager,
            unknown_manager,
        }
    }

    fn total(&self) -> usize {
        self.ex_role.len()
    }

    fn valid(&self, entries: &[Entry], node: usize) -> bool {
        node < self.entries && self.live[node] && entries[node].person.is_some()
    }

    /// Whether the person exists once the valid rows are applied.
    fn present(&self, entries: &[Entry], node: usize) -> bool {
        self.valid(entries, node) || self.ex_status[node].is_some()
    }

    fn manager(&self, entries: &[Entry], node: usize) -> u32 {
        if self.valid(entries, node) && self.row_manager[node] != NONE {
            self.row_manager[node]
        } else {
            self.ex_manager[node]
        }
    }

    fn role(&self, entries: &[Entry], node: usize) -> Option<&'a Role> {
        let from_row = entries
            .get(node)
            .filter(|_| self.valid(entries, node))
            .and_then(|e| e.person.as_ref())
            .and_then(|p| p.role.as_ref())
            .and_then(|r| self.framework.role(r.as_str()));
        from_row.or(self.ex_role[node])
    }

    fn status(&self, entries: &[Entry], node: usize) -> Status {
        let from_row = entries
            .get(node)
            .filter(|_| self.valid(entries, node))
            .and_then(|e| e.person.as_ref())
            .and_then(|p| p.status);
        from_row.or(self.ex_status[node]).unwrap_or(Status::Active)
    }

    fn email(&self, entries: &[Entry], node: usize) -> String {
        if node < self.entries {
            entries[node]
                .email
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        } else {
            self.extra_emails
                .get(node - self.entries)
                .map(ToString::to_string)
                .unwrap_or_default()
        }
    }

    /// Runs the whole-file checks until no further row is rejected.
    fn check(&mut self, entries: &mut [Entry], errors: &mut Vec<RowError>) {
        let mut found: Vec<(usize, RowErrorKind)> = Vec::new();
        for (i, unknown) in self.unknown_manager.iter().enumerate() {
            if *unknown {
                let manager = entries[i]
                    .person
                    .as_ref()
                    .and_then(|p| p.manager_email.as_ref())
                    .map(ToString::to_string)
                    .unwrap_or_default();
                found.push((i, RowErrorKind::UnknownManager { manager }));
            }
        }
        reject(entries, errors, &mut found);
        // Children by the managers the rows name, for dependent skipping.
        let mut row_children: HashMap<u32, Vec<u32>> = HashMap::default();
        for (child, &m) in self.row_manager.iter().enumerate() {
            if m != NONE && (m as usize) < self.entries {
                row_children.entry(m).or_default().push(to_node(child));
            }
        }
        loop {
            self.skip_dependents(entries, errors, &row_children);
            self.manager_checks(entries, &mut found);
            self.cycle_checks(entries, &mut found);
            if found.is_empty() {
                break;
            }
            reject(entries, errors, &mut found);
        }
    }

    /// Rejects every row whose named manager will not exist because the
    /// manager's own row was rejected (transitively).
    fn skip_dependents(
        &self,
        entries: &mut [Entry],
        errors: &mut Vec<RowError>,
        row_children: &HashMap<u32, Vec<u32>>,
    ) {
        let mut queue: Vec<usize> = (0..self.entries)
            .filter(|&i| !self.present(entries, i) && row_children.contains_key(&to_node(i)))
            .collect();
        while let Some(manager) = queue.pop() {
            let Some(children) = row_children.get(&to_node(manager)) else {
                continue;
            };
            for &child in children {
                let child = child as usize;
                if !self.valid(entries, child) {
                    continue;
                }
                let kind = RowErrorKind::ManagerRowRejected {
                    manager: self.email(entries, manager),
                    manager_row: entries[manager].row,
                };
                reject(entries, errors, &mut vec![(child, kind)]);
                if !self.present(entries, child) {
                    queue.push(child);
                }
            }
        }
    }

    /// Managers without reports, leavers with reports, departed managers.
    fn manager_checks(&self, entries: &[Entry], found: &mut Vec<(usize, RowErrorKind)>) {
        for i in 0..self.entries {
            if !self.valid(entries, i) {
                continue;
            }
            let m = self.row_manager[i];
            if m != NONE && self.status(entries, i) == Status::Active {
                let m = m as usize;
                match self.role(entries, m) {
                    Some(role) if !role.reports => {
                        found.push((
                            i,
                            RowErrorKind::ManagerCannotHaveReports {
                                manager: self.email(entries, m),
                                role: role.id.to_string(),
                            },
                        ));
                    }
                    Some(_) if self.status(entries, m) == Status::Left => {
                        found.push((
                            i,
                            RowErrorKind::ManagerLeft {
                                manager: self.email(entries, m),
                            },
                        ));
                    }
                    _ => {}
                }
            }
            let Some(person) = entries[i].person.as_ref() else {
                continue;
            };
            let drops_reports = person
                .role
                .as_ref()
                .and_then(|r| self.framework.role(r.as_str()))
                .is_some_and(|r| !r.reports);
            let leaves = person.status == Some(Status::Left);
            if !drops_reports && !leaves {
                continue;
            }
            let reports = self.kept_reports(entries, i);
            if reports == 0 {
                continue;
            }
            let kind = if drops_reports {
                RowErrorKind::RoleCannotHaveReports {
                    role: person
                        .role
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    reports,
                }
            } else {
                RowErrorKind::HasReports { reports }
            };
            found.push((i, kind));
        }
    }

    /// Active people who report to `node` through the store's lines and whose
    /// rows (if any) do not name another manager.
    fn kept_reports(&self, entries: &[Entry], node: usize) -> usize {
        let (Some(&start), Some(&end)) = (
            self.ex_children_start.get(node),
            self.ex_children_start.get(node + 1),
        ) else {
            return 0;
        };
        self.ex_children[start as usize..end as usize]
            .iter()
            .map(|&c| c as usize)
            .filter(|&c| self.present(entries, c) && self.manager(entries, c) == to_node(node))
            .filter(|&c| self.status(entries, c) == Status::Active)
            .count()
    }

    /// Every valid row on a reporting cycle.
    fn cycle_checks(&self, entries: &[Entry], found: &mut Vec<(usize, RowErrorKind)>) {
        let mut state = vec![0u8; self.total()];
        let mut path: Vec<usize> = Vec::new();
        for start in 0..self.entries {
            if state[start] != 0 || !self.valid(entries, start) {
                continue;
            }
            path.clear();
            let mut node = start as u32;
            while node != NONE && self.present(entries, node as usize) && state[node as usize] == 0
            {
                state[node as usize] = 1;
                path.push(node as usize);
                node = self.manager(entries, node as usize);
            }
            if node != NONE && state[node as usize] == 1 {
                let from = path.iter().position(|&p| p == node as usize).unwrap_or(0);
                let cycle = &path[from..];
                for (k, &member) in cycle.iter().enumerate() {
                    if !self.valid(entries, member) {
                        continue;
                    }
                    let names: Vec<String> = cycle[k..]
                        .iter()
                        .chain(&cycle[..=k])
                        .take(CYCLE_SHOWN)
                        .map(|&p| self.email(entries, p))
                        .collect();
                    let mut names = names;
                    if cycle.len() + 1 > CYCLE_SHOWN {
                        names.push(format!("… ({} people)", cycle.len()));
                    }
                    found.push((member, RowErrorKind::ReportingCycle { cycle: names }));
                }
            }
            for &p in &path {
                state[p] = 2;
            }
        }
    }

    /// The valid file nodes, each manager before the people reporting to it.
    fn topological_order(&self, entries: &[Entry]) -> Vec<u32> {
        let mut state = vec![0u8; self.entries];
        let mut order = Vec::with_capacity(self.entries);
        let mut chain = Vec::new();
        for start in 0..self.entries {
            if state[start] != 0 || !self.valid(entries, start) {
                continue;
            }
            chain.clear();
            let mut node = start;
            while node < self.entries && self.valid(entries, node) && state[node] == 0 {
                state[node] = 1;
                chain.push(node);
                let m = self.manager(entries, node);
                if m == NONE {
                    break;
                }
                node = m as usize;
            }
            for &n in chain.iter().rev() {
                state[n] = 2;
                order.push(to_node(n));
            }
        }
        order
    }
}

/// Marks rows as rejected, recording why; drains `found`.
fn reject(
    entries: &mut [Entry],
    errors: &mut Vec<RowError>,
    found: &mut Vec<(usize, RowErrorKind)>,
) {
    for (i, kind) in found.drain(..) {
        let Some(entry) = entries.get_mut(i) else {
            continue;
        };
        entry.person = None;
        errors.push(RowError {
            row: entry.row,
            line: entry.line,
            email: entry.email.as_ref().map(ToString::to_string),
            kind,
        });
    }
}

fn to_node(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(NONE)
}

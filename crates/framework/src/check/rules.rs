//! The semantic rules of a framework file (E003–E010, W001–W003), one small
//! function each, over the raw items the parser produced. Every rule is
//! linear in the size of the file: lookups go through hash maps built once.

use std::collections::hash_map::Entry;

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Track, TransitionKind};
use crate::parse::{RawFramework, RawRole, RawStream, Sp, Span};
use crate::suggest::did_you_mean;

/// "Did you mean" is worked out for at most this many unresolved references
/// per file; each costs a pass over the known ids.
const SUGGESTION_BUDGET: usize = 32;

/// Runs every rule and appends what it finds.
pub(super) fn check_all(raw: &RawFramework, diags: &mut Vec<Diagnostic>) {
    let mut checker = Checker::new(raw, diags);
    checker.roles_reference_known_streams();
    checker.expectations_fit_competencies();
    checker.transitions_are_sound();
    checker.designation_streams_exist();
    checker.renames_target_roles();
    checker.roles_are_reachable();
    checker.streams_have_roles();
    checker.reports_match_the_track();
}

/// The file's items, indexed by id (first definition wins), and the
/// diagnostics found so far.
struct Checker<'r, 'd> {
    raw: &'r RawFramework,
    diags: &'d mut Vec<Diagnostic>,
    streams: HashMap<&'r str, &'r RawStream>,
    /// Each role id's first role, with its position in the file.
    roles: HashMap<&'r str, (usize, &'r RawRole)>,
    competencies: HashMap<&'r str, usize>,
    suggestions_left: usize,
}

impl<'r, 'd> Checker<'r, 'd> {
    fn new(raw: &'r RawFramework, diags: &'d mut Vec<Diagnostic>) -> Self {
        let streams = unique_ids(
            diags,
            "stream",
            raw.streams.iter().map(|s| (s.id.as_ref(), s)),
        );
        let roles = unique_ids(
            diags,
            "role",
            raw.roles
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.as_ref(), (i, r))),
        );
        let competencies = unique_ids(
            diags,
            "competency",
            raw.competencies
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_ref(), i)),
        );
        // Designation ids are only checked for uniqueness; nothing refers to them.
        unique_ids(
            diags,
            "designation",
            raw.designations.iter().map(|d| (d.id.as_ref(), ())),
        );
        Self {
            raw,
            diags,
            streams,
            roles,
            competencies,
            suggestions_left: SUGGESTION_BUDGET,
        }
    }

    /// A "did you mean" note for an unresolved name, within the budget.
    fn suggestion<'k>(
        &mut self,
        wrong: &str,
        known: impl IntoIterator<Item = &'k str>,
    ) -> Option<String> {
        if self.suggestions_left == 0 {
            return None;
        }
        self.suggestions_left -= 1;
        did_you_mean(wrong, known).map(|close| format!("help: did you mean `{close}`?"))
    }

    /// E004 for a name that is not an id of `kind`.
    fn unknown(
        &mut self,
        kind: &str,
        reference: &Sp<String>,
        context: &str,
        suggestion: Option<String>,
    ) {
        let mut diagnostic = Diagnostic::new(
            Code::E004,
            format!("unknown {kind} `{}` {context}", reference.value),
        )
        .with_primary(reference.span.clone(), format!("no {kind} has this id"));
        if let Some(help) = suggestion {
            diagnostic = diagnostic.with_note(help);
        }
        self.diags.push(diagnostic);
    }

    fn unknown_stream(&mut self, reference: &Sp<String>, context: &str) {
        let raw = self.raw;
        let suggestion = self.suggestion(
            &reference.value,
            raw.streams
                .iter()
                .filter_map(|s| s.id.as_ref())
                .map(|id| id.value.as_str()),
        );
        self.unknown("stream", reference, context, suggestion);
    }

    fn unknown_role(&mut self, reference: &Sp<String>, context: &str) {
        let raw = self.raw;
        let suggestion = self.suggestion(
            &reference.value,
            raw.roles
                .iter()
                .filter_map(|r| r.id.as_ref())
                .map(|id| id.value.as_str()),
        );
        self.unknown("role", reference, context, suggestion);
    }

    /// E004: every role's stream exists.
    fn roles_reference_known_streams(&mut self) {
        for role in &self.raw.roles {
            if let Some(stream) = &role.stream
                && !self.streams.contains_key(stream.value.as_str())
            {
                let context = match &role.id {
                    Some(id) => format!("in role `{}`", id.value),
                    None => "in role".to_owned(),
                };
                self.unknown_stream(stream, &context);
            }
        }
    }

    /// E004 for an unknown competency, E009 for a level beyond its levels.
    fn expectations_fit_competencies(&mut self) {
        let raw = self.raw;
        for role in &raw.roles {
            for expectation in &role.expectations {
                let name = expectation.competency.value.as_str();
                let Some(&index) = self.competencies.get(name) else {
                    let context = match &role.id {
                        Some(id) => format!("in the expectations of role `{}`", id.value),
                        None => "in the expectations of a role".to_owned(),
                    };
                    let suggestion = self.suggestion(
                        name,
                        raw.competencies
                            .iter()
                            .filter_map(|c| c.id.as_ref())
                            .map(|id| id.value.as_str()),
                    );
                    self.unknown("competency", &expectation.competency, &context, suggestion);
                    continue;
                };
                let competency = &raw.competencies[index];
                let (Some(level), Some(levels)) = (&expectation.level, &competency.levels) else {
                    continue;
                };
                let count = levels.value.len();
                if usize::try_from(level.value).map_or(true, |l| l > count) {
                    self.diags.push(
                        Diagnostic::new(
                            Code::E009,
                            format!(
                                "expected level {} of `{name}` is outside its levels 1 to {count}",
                                level.value
                            ),
                        )
                        .with_primary(
                            level.span.clone(),
                            format!("`{name}` has {count} level{}", plural(count)),
                        )
                        .with_secondary(levels.span.clone(), format!("the levels of `{name}`"))
                        .with_note(format!(
                            "help: use a level from 1 to {count}, or add levels to `{name}`"
                        )),
                    );
                }
            }
        }
    }

    /// E004, E005, E006, E007 and E008 for each transition.
    fn transitions_are_sound(&mut self) {
        let raw = self.raw;
        // Pairs of known roles are keyed by position, which hashes faster
        // than the two ids; pairs naming an unknown role by their ids.
        let mut seen: HashMap<(usize, usize), &Span> =
            HashMap::with_capacity(raw.transitions.len());
        let mut seen_unknown: HashMap<(&str, &str), &Span> = HashMap::new();
        for transition in &raw.transitions {
            let from = transition
                .from
                .as_ref()
                .and_then(|f| self.resolve_role(f, "as the source of a transition"));
            let to = transition
                .to
                .as_ref()
                .and_then(|t| self.resolve_role(t, "as the target of a transition"));
            if let (Some(from_id), Some(to_id)) = (&transition.from, &transition.to) {
                let ids = (from_id.value.as_str(), to_id.value.as_str());
                let first = match (from, to) {
                    (Some((from, _)), Some((to, _))) => {
                        first_or_insert(&mut seen, (from, to), &transition.header)
                    }
                    _ => first_or_insert(&mut seen_unknown, ids, &transition.header),
                };
                if let Some(first) = first {
                    self.duplicate_transition(&transition.header, first, ids);
                }
            }
            let (from, to) = (from.map(|(_, role)| role), to.map(|(_, role)| role));
            if let (Some(to), Some(to_id)) = (to, &transition.to)
                && to.hire_only == Some(true)
            {
                self.leads_into_hire_only(to_id, to);
            }
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            match &transition.kind {
                Some(Sp {
                    value: TransitionKind::Promotion,
                    span,
                }) => {
                    self.promotion_increases_seniority(span, from, to);
                }
                Some(Sp {
                    value: TransitionKind::Lateral,
                    span,
                }) => {
                    self.lateral_changes_stream(span, from, to);
                }
                None => {}
            }
        }
    }

    /// The role a transition end names, reporting E004 when there is none.
    fn resolve_role(
        &mut self,
        reference: &Sp<String>,
        context: &str,
    ) -> Option<(usize, &'r RawRole)> {
        let found = self.roles.get(reference.value.as_str()).copied();
        if found.is_none() {
            self.unknown_role(reference, context);
        }
        found
    }

    /// E008: the same (from, to) pair twice, whatever the kinds.
    fn duplicate_transition(&mut self, header: &Span, first: &Span, (from, to): (&str, &str)) {
        self.diags.push(
            Diagnostic::new(
                Code::E008,
                format!("duplicate transition from `{from}` to `{to}`"),
            )
            .with_primary(header.clone(), "declared again here")
            .with_secondary(first.clone(), "first declared here")
            .with_note("help: keep one transition per pair of roles"),
        );
    }

    /// E005: nothing may lead into a hire-only role.
    fn leads_into_hire_only(&mut self, to_id: &Sp<String>, to: &RawRole) {
        self.diags.push(
            Diagnostic::new(
                Code::E005,
                format!("transition into hire-only role `{}`", to_id.value),
            )
            .with_primary(to_id.span.clone(), "this role is hire-only")
            .with_secondary(
                to.hire_only_span.clone().unwrap_or_else(|| to.header.clone()),
                "marked hire-only here",
            )
            .with_note("help: the only way into a hire-only role is a hire; remove this transition or the `hire_only` flag"),
        );
    }

    /// E006: a promotion must move to a strictly higher seniority.
    fn promotion_increases_seniority(&mut self, kind: &Span, from: &RawRole, to: &RawRole) {
        let (Some(from_seniority), Some(to_seniority), Some(from_id), Some(to_id)) =
            (&from.seniority, &to.seniority, &from.id, &to.id)
        else {
            return;
        };
        if to_seniority.value > from_seniority.value {
            return;
        }
        let (a, b) = (from_seniority.value.get(), to_seniority.value.get());
        self.diags.push(
            Diagnostic::new(
                Code::E006,
                format!(
                    "promotion from `{}` (seniority {a}) to `{}` (seniority {b}) does not increase seniority",
                    from_id.value, to_id.value
                ),
            )
            .with_primary(kind.clone(), format!("seniority goes from {a} to {b}"))
            .with_secondary(from_seniority.span.clone(), format!("`{}` is at {a}", from_id.value))
            .with_secondary(to_seniority.span.clone(), format!("`{}` is at {b}", to_id.value))
            .with_note("help: a promotion must lead to a strictly higher seniority; use `kind = \"lateral\"` for a move between streams"),
        );
    }

    /// E007: a lateral move changes stream.
    fn lateral_changes_stream(&mut self, kind: &Span, from: &RawRole, to: &RawRole) {
        let (Some(from_stream), Some(to_stream)) = (&from.stream, &to.stream) else {
            return;
        };
        if from_stream.value != to_stream.value {
            return;
        }
        self.diags.push(
            Diagnostic::new(
                Code::E007,
                format!("lateral transition within stream `{}`", from_stream.value),
            )
            .with_primary(kind.clone(), "a lateral move must change stream")
            .with_secondary(
                from_stream.span.clone(),
                "the source role is in this stream",
            )
            .with_secondary(to_stream.span.clone(), "and so is the target role")
            .with_note("help: a move within one stream is a promotion; use `kind = \"promotion\"`"),
        );
    }

    /// E004: every eligible stream of a designation exists.
    fn designation_streams_exist(&mut self) {
        for designation in &self.raw.designations {
            let context = match &designation.id {
                Some(id) => format!("in the eligible streams of designation `{}`", id.value),
                None => "in the eligible streams of a designation".to_owned(),
            };
            for stream in designation.eligible_streams.iter().flatten() {
                if !self.streams.contains_key(stream.value.as_str()) {
                    self.unknown_stream(stream, &context);
                }
            }
        }
    }

    /// E010: a rename's target is a role of this version.
    fn renames_target_roles(&mut self) {
        let raw = self.raw;
        for rename in &raw.renames {
            let Some(to) = &rename.to else { continue };
            if self.roles.contains_key(to.value.as_str()) {
                continue;
            }
            let suggestion = self.suggestion(
                &to.value,
                raw.roles
                    .iter()
                    .filter_map(|r| r.id.as_ref())
                    .map(|id| id.value.as_str()),
            );
            let mut diagnostic = Diagnostic::new(
                Code::E010,
                format!("rename target `{}` is not a role of this version", to.value),
            )
            .with_primary(to.span.clone(), "no role has this id");
            if let Some(from) = &rename.from {
                diagnostic = diagnostic.with_secondary(from.span.clone(), "renamed from here");
            }
            diagnostic = match suggestion {
                Some(help) => diagnostic.with_note(help),
                None => diagnostic
                    .with_note("help: a rename maps an old role id to a role defined in this file"),
            };
            self.diags.push(diagnostic);
        }
    }

    /// W001: a role that is not entry, not hire-only, and that no
    /// transition leads into.
    fn roles_are_reachable(&mut self) {
        let targets: HashSet<&str> = self
            .raw
            .transitions
            .iter()
            .filter_map(|t| t.to.as_ref())
            .map(|to| to.value.as_str())
            .collect();
        for role in &self.raw.roles {
            let Some(id) = &role.id else { continue };
            // An invalid flag was reported; whether it meant entry is unknown.
            let (Some(entry), Some(hire_only)) = (role.entry, role.hire_only) else {
                continue;
            };
            if entry || hire_only || targets.contains(id.value.as_str()) {
                continue;
            }
            self.diags.push(
                Diagnostic::new(Code::W001, format!("role `{}` is unreachable", id.value))
                    .with_primary(id.span.clone(), "no transition leads here")
                    .with_note("help: add a transition into it, or mark it `entry = true` (people are hired into it) or `hire_only = true`"),
            );
        }
    }

    /// W002: a stream that no role belongs to.
    fn streams_have_roles(&mut self) {
        let used: HashSet<&str> = self
            .raw
            .roles
            .iter()
            .filter_map(|r| r.stream.as_ref())
            .map(|s| s.value.as_str())
            .collect();
        for stream in &self.raw.streams {
            let Some(id) = &stream.id else { continue };
            if used.contains(id.value.as_str()) {
                continue;
            }
            self.diags.push(
                Diagnostic::new(Code::W002, format!("stream `{}` has no roles", id.value))
                    .with_primary(id.span.clone(), "no role is in this stream")
                    .with_note(
                        "help: add roles with `stream = \"…\"` naming it, or remove the stream",
                    ),
            );
        }
    }

    /// W003: `reports = true` in an ic stream, or `false` in a management or
    /// executive one.
    fn reports_match_the_track(&mut self) {
        for role in &self.raw.roles {
            let (Some(reports), Some(stream_id)) = (&role.reports, &role.stream) else {
                continue;
            };
            let Some(stream) = self.streams.get(stream_id.value.as_str()) else {
                continue;
            };
            let Some(Sp {
                value: track,
                span: track_span,
            }) = &stream.track
            else {
                continue;
            };
            let track = *track;
            if reports.value == track.reports_by_default() {
                continue;
            }
            let role_name = role.id.as_ref().map_or("this role", |id| id.value.as_str());
            let (message, help) = match track {
                Track::Ic => (
                    format!("role `{role_name}` has reports in an individual-contributor stream"),
                    "help: individual contributors have no reports; move the role to a management stream or drop `reports = true`",
                ),
                Track::Management | Track::Executive => (
                    format!(
                        "role `{role_name}` has no reports in a {} stream",
                        track.as_str()
                    ),
                    "help: management and executive roles have reports; drop `reports = false` if that is an oversight",
                ),
            };
            self.diags.push(
                Diagnostic::new(Code::W003, message)
                    .with_primary(
                        reports.span.clone(),
                        format!("`reports = {}`", reports.value),
                    )
                    .with_secondary(
                        track_span.clone(),
                        format!("stream `{}` has this track", stream_id.value),
                    )
                    .with_note(help),
            );
        }
    }
}

/// The span recorded for `key`, or `None` after recording `span` for it.
fn first_or_insert<'r, K: std::hash::Hash + Eq>(
    seen: &mut HashMap<K, &'r Span>,
    key: K,
    span: &'r Span,
) -> Option<&'r Span> {
    match seen.entry(key) {
        Entry::Occupied(first) => Some(*first.get()),
        Entry::Vacant(slot) => {
            slot.insert(span);
            None
        }
    }
}

/// Indexes items by id, reporting E003 for each id defined again. The first
/// definition is the one kept.
fn unique_ids<'r, T>(
    diags: &mut Vec<Diagnostic>,
    kind: &str,
    items: impl Iterator<Item = (Option<&'r Sp<String>>, T)>,
) -> HashMap<&'r str, T> {
    let mut index: HashMap<&'r str, T> = HashMap::with_capacity(items.size_hint().0);
    let mut first_spans: HashMap<&'r str, &'r Span> = HashMap::with_capacity(items.size_hint().0);
    for (id, item) in items {
        let Some(id) = id else { continue };
        if let Some(first) = first_spans.get(id.value.as_str()) {
            diags.push(
                Diagnostic::new(Code::E003, format!("duplicate {kind} id `{}`", id.value))
                    .with_primary(id.span.clone(), "defined again here")
                    .with_secondary((*first).clone(), "first defined here")
                    .with_note(format!("help: each {kind} needs an id of its own")),
            );
        } else {
            first_spans.insert(id.value.as_str(), &id.span);
            index.insert(id.value.as_str(), item);
        }
    }
    index
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

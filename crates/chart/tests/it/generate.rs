//! Generated frameworks for tests, benchmarks and the gallery example: a
//! description of streams, roles and lateral moves turned into framework TOML
//! that `climb_framework::load` accepts.

#![allow(dead_code)]

use std::fmt::Write as _;

/// A role to generate.
#[derive(Debug, Clone)]
pub(crate) struct RoleSpec {
    /// Stream index.
    pub(crate) stream: usize,
    /// Seniority `0..=100`.
    pub(crate) seniority: u8,
    /// Whether nothing may lead into it.
    pub(crate) hire_only: bool,
}

/// A framework to generate. Promotions join each role to the roles of the
/// next higher seniority in its stream; `laterals` are `(from, to)` role
/// indexes (pairs within one stream, repeats and moves into hire-only roles
/// are skipped so the file always checks).
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    /// Number of streams.
    pub(crate) streams: usize,
    /// The roles.
    pub(crate) roles: Vec<RoleSpec>,
    /// Lateral moves by role index.
    pub(crate) laterals: Vec<(usize, usize)>,
    /// Role titles; `None` gives `Role N of Stream S` style titles.
    pub(crate) titles: Option<Vec<String>>,
}

const WORDS: [&str; 12] = [
    "Software",
    "Platform",
    "Data",
    "Security",
    "Reliability",
    "Mobile",
    "Frontend",
    "Backend",
    "Quality",
    "Product",
    "Infrastructure",
    "Research",
];
const LEVELS: [&str; 6] = [
    "Associate",
    "Senior",
    "Staff",
    "Principal",
    "Lead",
    "Distinguished",
];

/// The title of generated role `i`.
fn title(i: usize, role: &RoleSpec) -> String {
    format!(
        "{} {} Engineer {}",
        LEVELS[(i + role.seniority as usize) % LEVELS.len()],
        WORDS[(i * 7 + role.stream) % WORDS.len()],
        i
    )
}

/// Framework TOML for a spec.
pub(crate) fn toml(spec: &Spec) -> String {
    let mut out =
        String::from("[framework]\nname = \"Generated & Co <test>\"\nversion = \"1.0\"\n\n");
    for s in 0..spec.streams {
        let _ = write!(
            out,
            "[[streams]]\nid = \"stream-{s}\"\nname = \"Stream {s}\"\ntrack = \"ic\"\n\n"
        );
    }
    for (i, role) in spec.roles.iter().enumerate() {
        let title = spec
            .titles
            .as_ref()
            .and_then(|t| t.get(i).cloned())
            .unwrap_or_else(|| title(i, role));
        let _ = write!(
            out,
            "[[roles]]\nid = \"role-{i}\"\ntitle = \"{}\"\nstream = \"stream-{}\"\nseniority = {}\nentry = true\nhire_only = {}\n\n",
            title.replace('\\', "\\\\").replace('"', "\\\""),
            role.stream,
            role.seniority,
            role.hire_only
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, a) in spec.roles.iter().enumerate() {
        let next = spec
            .roles
            .iter()
            .filter(|b| b.stream == a.stream && b.seniority > a.seniority)
            .map(|b| b.seniority)
            .min();
        for (j, b) in spec.roles.iter().enumerate() {
            if Some(b.seniority) == next
                && b.stream == a.stream
                && !b.hire_only
                && seen.insert((i, j))
            {
                let _ = write!(
                    out,
                    "[[transitions]]\nfrom = \"role-{i}\"\nto = \"role-{j}\"\nkind = \"promotion\"\n\n"
                );
            }
        }
    }
    for &(i, j) in &spec.laterals {
        let (Some(a), Some(b)) = (spec.roles.get(i), spec.roles.get(j)) else {
            continue;
        };
        if a.stream == b.stream || b.hire_only || !seen.insert((i, j)) {
            continue;
        }
        let _ = write!(
            out,
            "[[transitions]]\nfrom = \"role-{i}\"\nto = \"role-{j}\"\nkind = \"lateral\"\n\n"
        );
    }
    out.push_str(
        "[[designations]]\nid = \"team-lead\"\ntitle = \"Team Lead\"\nscope = \"project\"\neligible_streams = [\"stream-0\"]\nusual_min_seniority = 3\n",
    );
    out
}

/// A small deterministic pseudo-random sequence (64-bit LCG), so generated
/// frameworks do not depend on a random-number crate.
pub(crate) struct Lcg(u64);

impl Lcg {
    /// A sequence from a seed.
    pub(crate) fn new(seed: u64) -> Self {
        Self(
            seed.wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407),
        )
    }

    /// The next value below `bound` (`bound > 0`).
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

/// A realistic-looking framework: `streams` streams, `roles` roles spread
/// over them at seniorities 1..=`levels`, and `laterals` lateral moves mostly
/// between neighbouring streams and near seniorities.
pub(crate) fn realistic(
    streams: usize,
    roles: usize,
    levels: u8,
    laterals: usize,
    seed: u64,
) -> Spec {
    let mut rng = Lcg::new(seed);
    let mut specs = Vec::with_capacity(roles);
    for i in 0..roles {
        let stream = i % streams;
        let seniority = 1 + rng.below(levels as usize) as u8;
        specs.push(RoleSpec {
            stream,
            seniority,
            hire_only: false,
        });
    }
    if let Some(last) = specs.iter_mut().max_by_key(|r| (r.seniority, r.stream)) {
        last.hire_only = true;
    }
    let mut moves = Vec::with_capacity(laterals);
    let mut tries = 0;
    while moves.len() < laterals && tries < laterals * 50 {
        tries += 1;
        let a = rng.below(roles);
        let b = rng.below(roles);
        let (ra, rb) = (&specs[a], &specs[b]);
        if ra.stream.abs_diff(rb.stream) <= 2 && ra.seniority.abs_diff(rb.seniority) <= 1 {
            moves.push((a, b));
            if rng.below(3) == 0 {
                moves.push((b, a));
            }
        }
    }
    Spec {
        streams,
        roles: specs,
        laterals: moves,
        titles: None,
    }
}

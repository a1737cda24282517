//! The checked framework: streams, roles, transitions, designations and
//! competencies. A [`Framework`] value exists only after every error check
//! passed, so code holding one never re-validates it.

use foldhash::HashMap;

use serde::Serialize;

use crate::id::{CompetencyId, DesignationId, RoleId, StreamId};

/// What kind of career track a stream is; decides whether its roles have
/// reports by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// Individual contributors: no reports by default.
    Ic,
    /// People managers: reports by default.
    Management,
    /// Executives: reports by default.
    Executive,
}

impl Track {
    /// Parses the file spelling (`ic`, `management`, `executive`).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "ic" => Some(Self::Ic),
            "management" => Some(Self::Management),
            "executive" => Some(Self::Executive),
            _ => None,
        }
    }

    /// The file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ic => "ic",
            Self::Management => "management",
            Self::Executive => "executive",
        }
    }

    /// Whether roles in a stream of this track have reports unless told otherwise.
    pub fn reports_by_default(self) -> bool {
        !matches!(self, Self::Ic)
    }
}

/// Whether a transition moves up within a stream or across to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransitionKind {
    /// Upward move; seniority strictly increases.
    Promotion,
    /// Move between two streams.
    Lateral,
}

impl TransitionKind {
    /// Parses the file spelling (`promotion`, `lateral`).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "promotion" => Some(Self::Promotion),
            "lateral" => Some(Self::Lateral),
            _ => None,
        }
    }

    /// The file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Promotion => "promotion",
            Self::Lateral => "lateral",
        }
    }
}

/// How long a designation lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DesignationScope {
    /// Held for one project; ends when the project closes.
    Project,
}

impl DesignationScope {
    /// Parses the file spelling (`project`).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "project" => Some(Self::Project),
            _ => None,
        }
    }
}

/// Position on the seniority axis, `0..=100`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Seniority(u8);

impl Seniority {
    /// The highest seniority a role may have.
    pub const MAX: u8 = 100;

    /// A seniority, or `None` outside `0..=100`.
    pub fn new(value: i64) -> Option<Self> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= Self::MAX)
            .map(Self)
    }

    /// The numeric value.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// The name and version of a framework file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkMeta {
    /// Company or framework name.
    pub name: String,
    /// Free-form version label, e.g. `2026.1`.
    pub version: String,
    /// Optional prose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A row of the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stream {
    /// Unique id.
    pub id: StreamId,
    /// Display name.
    pub name: String,
    /// Career track.
    pub track: Track,
    /// Optional prose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A competency level a role expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expectation {
    /// Which competency.
    pub competency: CompetencyId,
    /// Expected level, 1-based, within the competency's levels.
    pub level: u32,
}

/// A role placed in a stream at a seniority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    /// Unique id.
    pub id: RoleId,
    /// Display title.
    pub title: String,
    /// The stream (row) it belongs to.
    pub stream: StreamId,
    /// Horizontal position.
    pub seniority: Seniority,
    /// People are normally hired into it.
    pub entry: bool,
    /// Nothing may transition into it; the only way in is a hire.
    pub hire_only: bool,
    /// Holders may have reports (default resolved from the stream's track).
    pub reports: bool,
    /// One-paragraph description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// What the role is accountable for.
    pub responsibilities: Vec<String>,
    /// Expected competency levels, in file order.
    pub expectations: Vec<Expectation>,
}

impl Role {
    /// The expected level for a competency, if the role names it.
    pub fn expectation(&self, competency: &CompetencyId) -> Option<u32> {
        self.expectations
            .iter()
            .find(|e| &e.competency == competency)
            .map(|e| e.level)
    }
}

/// An arrow of the chart.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Transition {
    /// Source role.
    pub from: RoleId,
    /// Target role.
    pub to: RoleId,
    /// Promotion or lateral move.
    pub kind: TransitionKind,
}

/// A responsibility layered on a role (Team Lead), never a role itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Designation {
    /// Unique id.
    pub id: DesignationId,
    /// Display title.
    pub title: String,
    /// How long it lasts.
    pub scope: DesignationScope,
    /// One-paragraph description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// What the holder does.
    pub responsibilities: Vec<String>,
    /// Streams whose members may hold it; `None` means every stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligible_streams: Option<Vec<StreamId>>,
    /// Below this seniority an assignment is flagged (never refused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usual_min_seniority: Option<Seniority>,
}

impl Designation {
    /// Whether a member of `stream` may hold this designation.
    pub fn is_eligible(&self, stream: &StreamId) -> bool {
        self.eligible_streams
            .as_ref()
            .is_none_or(|streams| streams.contains(stream))
    }

    /// Whether an assignment to someone at `seniority` is below the usual level.
    pub fn is_below_usual(&self, seniority: Seniority) -> bool {
        self.usual_min_seniority.is_some_and(|min| seniority < min)
    }
}

/// A skill area with a description per level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Competency {
    /// Unique id.
    pub id: CompetencyId,
    /// Display name.
    pub name: String,
    /// Level descriptions; level `n` is `levels[n - 1]`.
    pub levels: Vec<String>,
}

/// How a role id of an older version maps to this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    /// The old role id (not necessarily a role of this version).
    pub from: RoleId,
    /// The role of this version it became.
    pub to: RoleId,
}

/// The plain parts of a framework, before indexes are built. Only the checker
/// turns parts into a [`Framework`].
#[derive(Debug, Clone, Default)]
pub(crate) struct FrameworkParts {
    pub(crate) meta: Option<FrameworkMeta>,
    pub(crate) streams: Vec<Stream>,
    pub(crate) roles: Vec<Role>,
    pub(crate) transitions: Vec<Transition>,
    pub(crate) designations: Vec<Designation>,
    pub(crate) competencies: Vec<Competency>,
    pub(crate) renames: Vec<Rename>,
}

/// A checked career framework. Every reference inside it resolves, so the
/// lookups by id of items it hands out never fail.
#[derive(Debug, Clone, Serialize)]
pub struct Framework {
    #[serde(rename = "framework")]
    meta: FrameworkMeta,
    streams: Vec<Stream>,
    roles: Vec<Role>,
    transitions: Vec<Transition>,
    designations: Vec<Designation>,
    competencies: Vec<Competency>,
    renames: Vec<Rename>,
    #[serde(skip)]
    role_index: HashMap<RoleId, usize>,
    #[serde(skip)]
    stream_index: HashMap<StreamId, usize>,
    #[serde(skip)]
    competency_index: HashMap<CompetencyId, usize>,
    /// Transition indexes grouped by source role index.
    #[serde(skip)]
    outgoing: Adjacency,
    /// Transition indexes grouped by target role index.
    #[serde(skip)]
    incoming: Adjacency,
}

/// Transition indexes grouped by role index, in file order within a role:
/// one flat list and where each role's part of it starts, so a framework of
/// many roles costs two allocations rather than one per role.
#[derive(Debug, Clone, Default)]
struct Adjacency {
    /// `starts[r]..starts[r + 1]` is role `r`'s range of `transitions`.
    starts: Vec<usize>,
    transitions: Vec<usize>,
}

impl Adjacency {
    /// Groups `(role, transition)` pairs, given in transition order.
    fn new(roles: usize, pairs: &[(usize, usize)]) -> Self {
        let mut starts = vec![0; roles + 1];
        for &(role, _) in pairs {
            starts[role + 1] += 1;
        }
        for r in 0..roles {
            starts[r + 1] += starts[r];
        }
        let mut next = starts.clone();
        let mut transitions = vec![0; pairs.len()];
        for &(role, t) in pairs {
            transitions[next[role]] = t;
            next[role] += 1;
        }
        Self {
            starts,
            transitions,
        }
    }

    fn of(&self, role: usize) -> &[usize] {
        match (self.starts.get(role), self.starts.get(role + 1)) {
            (Some(&start), Some(&end)) => &self.transitions[start..end],
            _ => &[],
        }
    }
}

impl PartialEq for Framework {
    fn eq(&self, other: &Self) -> bool {
        self.meta == other.meta
            && self.streams == other.streams
            && self.roles == other.roles
            && self.transitions == other.transitions
            && self.designations == other.designations
            && self.competencies == other.competencies
            && self.renames == other.renames
    }
}

impl Framework {
    /// Builds the indexes. The caller (the checker) guarantees every reference
    /// resolves and ids are unique.
    pub(crate) fn from_checked_parts(parts: FrameworkParts, meta: FrameworkMeta) -> Self {
        debug_assert!(
            parts.meta.as_ref().is_none_or(|m| m == &meta),
            "the parts' meta, when given, is the framework's"
        );
        fn index_of<K: std::hash::Hash + Eq>(
            ids: impl ExactSizeIterator<Item = K>,
        ) -> HashMap<K, usize> {
            let mut index = HashMap::with_capacity_and_hasher(ids.len(), Default::default());
            index.extend(ids.enumerate().map(|(i, id)| (id, i)));
            index
        }
        let role_index = index_of(parts.roles.iter().map(|r| r.id.clone()));
        let stream_index = index_of(parts.streams.iter().map(|s| s.id.clone()));
        let competency_index = index_of(parts.competencies.iter().map(|c| c.id.clone()));
        let mut sources = Vec::with_capacity(parts.transitions.len());
        let mut targets = Vec::with_capacity(parts.transitions.len());
        for (t, transition) in parts.transitions.iter().enumerate() {
            if let (Some(&from), Some(&to)) = (
                role_index.get(&transition.from),
                role_index.get(&transition.to),
            ) {
                sources.push((from, t));
                targets.push((to, t));
            }
        }
        let outgoing = Adjacency::new(parts.roles.len(), &sources);
        let incoming = Adjacency::new(parts.roles.len(), &targets);
        Self {
            meta,
            streams: parts.streams,
            roles: parts.roles,
            transitions: parts.transitions,
            designations: parts.designations,
            competencies: parts.competencies,
            renames: parts.renames,
            role_index,
            stream_index,
            competency_index,
            outgoing,
            incoming,
        }
    }

    /// Name, version and description.
    pub fn meta(&self) -> &FrameworkMeta {
        &self.meta
    }

    /// Streams in file order (the chart's rows, top to bottom).
    pub fn streams(&self) -> &[Stream] {
        &self.streams
    }

    /// Roles in file order.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Transitions in file order.
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }

    /// Designations in file order.
    pub fn designations(&self) -> &[Designation] {
        &self.designations
    }

    /// Competencies in file order.
    pub fn competencies(&self) -> &[Competency] {
        &self.competencies
    }

    /// Renames from older versions, in file order.
    pub fn renames(&self) -> &[Rename] {
        &self.renames
    }

    /// The role with this id, if any.
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.role_index.get(id).map(|&i| &self.roles[i])
    }

    /// The position of a role in [`Framework::roles`].
    pub fn role_position(&self, id: &str) -> Option<usize> {
        self.role_index.get(id).copied()
    }

    /// The role someone probably meant by `given`, which is not a role id:
    /// the role with that title (people type what they read on the chart,
    /// in any case), else the id or title closest to it as a typo.
    pub fn suggest_role(&self, given: &str) -> Option<&Role> {
        let given = given.trim();
        let lowered = given.to_lowercase();
        if let Some(role) = self
            .roles
            .iter()
            .find(|r| r.title.to_lowercase() == lowered)
        {
            return Some(role);
        }
        if let Some(id) =
            crate::suggest::did_you_mean(&lowered, self.roles.iter().map(|r| r.id.as_str()))
        {
            return self.role(id);
        }
        let titles = self.roles.iter().map(|r| r.title.as_str());
        crate::suggest::did_you_mean(given, titles)
            .and_then(|title| self.roles.iter().find(|r| r.title == title))
    }

    /// The stream with this id, if any.
    pub fn stream(&self, id: &str) -> Option<&Stream> {
        self.stream_index.get(id).map(|&i| &self.streams[i])
    }

    /// The position of a stream in [`Framework::streams`] (its row).
    pub fn stream_position(&self, id: &str) -> Option<usize> {
        self.stream_index.get(id).copied()
    }

    /// The stream a role belongs to.
    pub fn stream_of(&self, role: &Role) -> &Stream {
        // The checker guarantees every role's stream exists.
        &self.streams[self.stream_index[&role.stream]]
    }

    /// The competency with this id, if any.
    pub fn competency(&self, id: &str) -> Option<&Competency> {
        self.competency_index
            .get(id)
            .map(|&i| &self.competencies[i])
    }

    /// The designation with this id, if any.
    pub fn designation(&self, id: &str) -> Option<&Designation> {
        self.designations.iter().find(|d| d.id.as_str() == id)
    }

    /// Roles in a stream, in file order.
    pub fn roles_in<'a>(&'a self, stream: &'a StreamId) -> impl Iterator<Item = &'a Role> + 'a {
        self.roles.iter().filter(move |r| &r.stream == stream)
    }

    /// Transitions leaving a role, in file order (empty for an unknown id).
    pub fn transitions_from<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Transition> + 'a {
        self.role_index
            .get(id)
            .map(|&i| self.outgoing.of(i))
            .unwrap_or_default()
            .iter()
            .map(|&t| &self.transitions[t])
    }

    /// Transitions entering a role, in file order (empty for an unknown id).
    pub fn transitions_into<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Transition> + 'a {
        self.role_index
            .get(id)
            .map(|&i| self.incoming.of(i))
            .unwrap_or_default()
            .iter()
            .map(|&t| &self.transitions[t])
    }

    /// The transition from `from` to `to`, if the framework has one.
    pub fn transition(&self, from: &str, to: &str) -> Option<&Transition> {
        self.transitions_from(from).find(|t| t.to.as_str() == to)
    }

    /// Outgoing transition indexes per role index, for graph algorithms.
    pub(crate) fn outgoing_indexes(&self, role: usize) -> &[usize] {
        self.outgoing.of(role)
    }
}

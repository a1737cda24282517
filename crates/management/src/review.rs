//! Performance reviews: cycles opened by HR for a period and a set of people,
//! and per person a self assessment and a manager assessment of every
//! competency their role expects, an overall rating, and sign-off by both.
//!
//! A review is read-only once both sides signed it, and every review of a
//! closed cycle is read-only: each operation checks that first and refuses
//! with `review_signed` / `cycle_closed` before touching anything.
//!
//! Choices:
//! - The competencies assessed are those the person's role expects when the
//!   cycle opens; the role is recorded on the review and does not move if
//!   the person is promoted during the cycle.
//! - The self side belongs to the person; the manager side to whoever is the
//!   person's direct manager at the time of writing (a reorganisation during
//!   the cycle hands the review to the new manager). The author of each side
//!   is recorded when it is written.
//! - A side may be signed once all its competencies are assessed; the
//!   manager side also needs the overall rating. A signed side is frozen.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use climb_framework::{CompetencyId, Framework, RoleId, StreamId};
use climb_people::{Org, PersonId};
use serde::{Deserialize, Serialize};

/// A review cycle's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CycleId(pub i64);

/// A review's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReviewId(pub i64);

impl fmt::Display for CycleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "review cycle #{}", self.0)
    }
}

impl fmt::Display for ReviewId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "review #{}", self.0)
    }
}

/// The overall rating of a review: a fixed five-point scale, the same for
/// every framework. Serialised in snake case (`meets_expectations`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 1: well below what the role expects.
    BelowExpectations,
    /// 2: partly meets what the role expects.
    PartlyMeetsExpectations,
    /// 3: does what the role expects.
    MeetsExpectations,
    /// 4: often does more than the role expects.
    ExceedsExpectations,
    /// 5: consistently works at the next level.
    Outstanding,
}

impl Rating {
    /// Every rating, lowest first.
    pub const ALL: [Rating; 5] = [
        Self::BelowExpectations,
        Self::PartlyMeetsExpectations,
        Self::MeetsExpectations,
        Self::ExceedsExpectations,
        Self::Outstanding,
    ];

    /// The stable spelling used in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BelowExpectations => "below_expectations",
            Self::PartlyMeetsExpectations => "partly_meets_expectations",
            Self::MeetsExpectations => "meets_expectations",
            Self::ExceedsExpectations => "exceeds_expectations",
            Self::Outstanding => "outstanding",
        }
    }

    /// Parses the stable spelling.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// Its place on the scale, 1 to 5.
    pub fn value(self) -> u8 {
        match self {
            Self::BelowExpectations => 1,
            Self::PartlyMeetsExpectations => 2,
            Self::MeetsExpectations => 3,
            Self::ExceedsExpectations => 4,
            Self::Outstanding => 5,
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::BelowExpectations => "Below expectations",
            Self::PartlyMeetsExpectations => "Partly meets expectations",
            Self::MeetsExpectations => "Meets expectations",
            Self::ExceedsExpectations => "Exceeds expectations",
            Self::Outstanding => "Outstanding",
        }
    }
}

/// Whom a cycle reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// Every active person.
    Everyone,
    /// Every active person whose role is in this stream.
    Stream {
        /// The stream.
        stream: StreamId,
    },
    /// Every active person below this manager (the manager excluded).
    Below {
        /// The manager.
        manager: PersonId,
    },
}

/// Open (assessments being written) or closed (read-only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CycleStatus {
    /// Reviews can be written and signed.
    Open,
    /// Every review is read-only.
    Closed,
}

/// A review cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycle {
    /// Its id.
    pub id: CycleId,
    /// Display name, e.g. "2026 H1".
    pub name: String,
    /// First day of the period reviewed.
    pub period_start: NaiveDate,
    /// Last day of the period reviewed.
    pub period_end: NaiveDate,
    /// Whom it reviews.
    pub scope: Scope,
    /// Open or closed.
    pub status: CycleStatus,
    /// The day it was opened.
    pub opened_on: NaiveDate,
    /// The day it was closed.
    pub closed_on: Option<NaiveDate>,
    /// Whether the people reviewed see their manager's side only once HR
    /// releases the cycle (after calibration), rather than as soon as the
    /// manager signs.
    #[serde(default)]
    pub hold_until_released: bool,
    /// The day HR released a held cycle.
    #[serde(default)]
    pub released_on: Option<NaiveDate>,
}

impl Cycle {
    /// Whether reviews of this cycle can still change.
    pub fn is_open(&self) -> bool {
        self.status == CycleStatus::Open
    }

    /// Whether the people reviewed may read their manager's signed side:
    /// always, unless the cycle holds it until a release that has not come.
    pub fn manager_side_released(&self) -> bool {
        !self.hold_until_released || self.released_on.is_some()
    }
}

/// Which side of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The person's own assessment.
    #[serde(rename = "self")]
    Own,
    /// Their manager's assessment.
    Manager,
}

impl Side {
    /// `self` or `manager`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Own => "self",
            Self::Manager => "manager",
        }
    }
}

/// The level given for one competency, with the evidence for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rated {
    /// 1-based level on the competency's scale.
    pub level: u32,
    /// What supports it.
    pub evidence: String,
}

/// One side of a review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// Who wrote it (last), once written.
    pub author: Option<PersonId>,
    /// Level and evidence per competency.
    pub competencies: BTreeMap<CompetencyId, Rated>,
    /// The day this side signed, which freezes it.
    pub signed_on: Option<NaiveDate>,
}

/// Who has signed one review: what the progress figures count, without
/// the review's levels and evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signatures {
    /// Who is reviewed.
    pub person: PersonId,
    /// Whether the person signed their own side.
    pub own: bool,
    /// Whether the manager signed theirs.
    pub manager: bool,
}

impl Signatures {
    /// The signatures of `review`.
    pub fn of(review: &Review) -> Self {
        Self {
            person: review.person,
            own: review.own.signed_on.is_some(),
            manager: review.manager.signed_on.is_some(),
        }
    }
}

/// One person's review in a cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Its id.
    pub id: ReviewId,
    /// The cycle it belongs to.
    pub cycle: CycleId,
    /// Who is reviewed.
    pub person: PersonId,
    /// Their role when the cycle opened: its expectations are assessed.
    pub role: RoleId,
    /// The competencies to assess, with the role's expected level.
    pub expected: BTreeMap<CompetencyId, u32>,
    /// The person's own assessment.
    pub own: Assessment,
    /// The manager's assessment.
    pub manager: Assessment,
    /// The overall rating, given by the manager.
    pub rating: Option<Rating>,
}

impl Review {
    /// The review of `cycle` as `viewer` may read it. The person reviewed
    /// sees the manager's side (levels, evidence and the overall rating)
    /// only once the manager has signed it, since a saved draft is the
    /// manager's own work in progress, and, in a cycle held for calibration,
    /// only once HR has released it.
    pub fn as_seen_by(&self, cycle: &Cycle, viewer: Option<PersonId>) -> Review {
        let mut seen = self.clone();
        let hidden = self.manager.signed_on.is_none() || !cycle.manager_side_released();
        if viewer == Some(self.person) && hidden {
            seen.manager = Assessment::default();
            seen.rating = None;
        }
        seen
    }

    /// Signed by both sides: read-only for good.
    pub fn is_signed(&self) -> bool {
        self.own.signed_on.is_some() && self.manager.signed_on.is_some()
    }

    /// A side of the review.
    pub fn side(&self, side: Side) -> &Assessment {
        match side {
            Side::Own => &self.own,
            Side::Manager => &self.manager,
        }
    }

    fn side_mut(&mut self, side: Side) -> &mut Assessment {
        match side {
            Side::Own => &mut self.own,
            Side::Manager => &mut self.manager,
        }
    }

    /// `draft`, `self_signed`, `manager_signed` or `signed`.
    pub fn state(&self) -> &'static str {
        match (
            self.own.signed_on.is_some(),
            self.manager.signed_on.is_some(),
        ) {
            (false, false) => "draft",
            (true, false) => "self_signed",
            (false, true) => "manager_signed",
            (true, true) => "signed",
        }
    }
}

/// Why a review operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// `invalid_cycle`: blank name or a period that ends before it starts.
    #[error("{0}")]
    InvalidCycle(String),
    /// `unknown_stream`: the scope names a stream the framework lacks.
    #[error("the framework has no stream `{0}`")]
    UnknownStream(String),
    /// `unknown_person`: the scope's manager is not an active person.
    #[error("there is no active person {0}")]
    UnknownPerson(PersonId),
    /// `nobody_to_review`: the scope selects nobody.
    #[error("nobody is in this cycle's scope")]
    NobodyToReview,
    /// `cycle_closed`: the cycle is closed; its reviews are read-only.
    #[error("{0} is closed; its reviews are read-only")]
    CycleClosed(CycleId),
    /// `review_signed`: both sides signed; the review is read-only.
    #[error("{0} is signed by both sides and cannot change")]
    ReviewSigned(ReviewId),
    /// `side_signed`: this side already signed and cannot change.
    #[error("the {0} assessment is already signed")]
    SideSigned(&'static str),
    /// `not_your_review`: only the person and their direct manager write a review.
    #[error("only the person reviewed and their direct manager write this review")]
    NotYourReview,
    /// `rating_by_manager`: only the manager gives the overall rating.
    #[error("only the manager gives the overall rating")]
    RatingByManager,
    /// `unknown_competency`: the review does not assess this competency.
    #[error("this review does not assess `{0}` (the role does not expect it)")]
    UnknownCompetency(String),
    /// `level_out_of_range`: the level is not on the competency's scale.
    #[error("level {level} is not on the scale of `{competency}` (1 to {max})")]
    LevelOutOfRange {
        /// The competency.
        competency: String,
        /// The level given.
        level: u32,
        /// The highest level.
        max: u32,
    },
    /// `missing_evidence`: every level needs evidence text.
    #[error("the level for `{0}` needs evidence")]
    MissingEvidence(String),
    /// `text_too_long` or `invalid_text`: evidence over [`MAX_TEXT`] or
    /// holding NUL.
    #[error(transparent)]
    Text(climb_people::TextProblem),
    /// `incomplete_assessment`: a side cannot sign before assessing every
    /// competency (and, for the manager, giving the rating).
    #[error("cannot sign yet: {0}")]
    Incomplete(String),
    /// `cycle_already_closed`: the cycle was closed before.
    #[error("{0} is already closed")]
    AlreadyClosed(CycleId),
    /// `cycle_not_held`: the cycle shows managers' sides as they are signed;
    /// there is nothing to release.
    #[error("{0} does not hold managers' assessments back; there is nothing to release")]
    NotHeld(CycleId),
    /// `cycle_already_released`: the cycle was released before.
    #[error("{0} was already released")]
    AlreadyReleased(CycleId),
}

impl ReviewError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidCycle(_) => "invalid_cycle",
            Self::UnknownStream(_) => "unknown_stream",
            Self::UnknownPerson(_) => "unknown_person",
            Self::NobodyToReview => "nobody_to_review",
            Self::CycleClosed(_) => "cycle_closed",
            Self::ReviewSigned(_) => "review_signed",
            Self::SideSigned(_) => "side_signed",
            Self::NotYourReview => "not_your_review",
            Self::RatingByManager => "rating_by_manager",
            Self::UnknownCompetency(_) => "unknown_competency",
            Self::LevelOutOfRange { .. } => "level_out_of_range",
            Self::MissingEvidence(_) => "missing_evidence",
            Self::Text(problem) => problem.code(),
            Self::Incomplete(_) => "incomplete_assessment",
            Self::AlreadyClosed(_) => "cycle_already_closed",
            Self::NotHeld(_) => "cycle_not_held",
            Self::AlreadyReleased(_) => "cycle_already_released",
        }
    }
}

/// What HR asks for when opening a cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCycle {
    /// Display name.
    pub name: String,
    /// First day of the period.
    pub period_start: NaiveDate,
    /// Last day of the period.
    pub period_end: NaiveDate,
    /// Whom to review.
    pub scope: Scope,
    /// Hold managers' sides back from the people reviewed until HR
    /// releases the cycle.
    pub hold_until_released: bool,
}

/// The most text an evidence or a name may hold, in characters.
pub const MAX_TEXT: usize = 4000;

/// Opens a cycle: a review for every active person in scope, each listing
/// the competencies their role expects. Ids are given by the caller: the
/// cycle's and the first review's (the others follow in order of person id).
/// Fails when the name is blank, the period is reversed, the scope names an
/// unknown stream or manager, or selects nobody.
pub fn open_cycle(
    framework: &Framework,
    org: &Org,
    id: CycleId,
    first_review: ReviewId,
    request: NewCycle,
    today: NaiveDate,
) -> Result<(Cycle, Vec<Review>), ReviewError> {
    let name = request.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ReviewError::InvalidCycle(
            "a cycle needs a name of 1 to 200 characters".to_owned(),
        ));
    }
    if request.period_end < request.period_start {
        return Err(ReviewError::InvalidCycle(format!(
            "the period ends ({}) before it starts ({})",
            request.period_end, request.period_start
        )));
    }
    let mut people: Vec<PersonId> = match &request.scope {
        Scope::Everyone => org
            .people()
            .filter(|p| p.is_active())
            .map(|p| p.id)
            .collect(),
        Scope::Stream { stream } => {
            if framework.stream(stream.as_str()).is_none() {
                return Err(ReviewError::UnknownStream(stream.to_string()));
            }
            org.people()
                .filter(|p| p.is_active())
                .filter(|p| {
                    framework
                        .role(p.role.as_str())
                        .is_some_and(|r| &r.stream == stream)
                })
                .map(|p| p.id)
                .collect()
        }
        Scope::Below { manager } => org
            .index()
            .below(*manager)
            .ok_or(ReviewError::UnknownPerson(*manager))?,
    };
    people.sort_unstable();
    // The expectations per role, computed once per role rather than per person.
    let mut by_role: BTreeMap<&str, BTreeMap<CompetencyId, u32>> = BTreeMap::new();
    let mut reviews = Vec::with_capacity(people.len());
    for (n, person) in people.into_iter().enumerate() {
        let Some(held) = org.person(person) else {
            continue;
        };
        let expected = by_role
            .entry(held.role.as_str())
            .or_insert_with(|| expectations(framework, &held.role))
            .clone();
        reviews.push(Review {
            id: ReviewId(first_review.0 + n as i64),
            cycle: id,
            person,
            role: held.role.clone(),
            expected,
            own: Assessment::default(),
            manager: Assessment::default(),
            rating: None,
        });
    }
    if reviews.is_empty() {
        return Err(ReviewError::NobodyToReview);
    }
    let cycle = Cycle {
        id,
        name,
        period_start: request.period_start,
        period_end: request.period_end,
        scope: request.scope,
        status: CycleStatus::Open,
        opened_on: today,
        closed_on: None,
        hold_until_released: request.hold_until_released,
        released_on: None,
    };
    Ok((cycle, reviews))
}

/// The competencies a role expects, with their levels (none for a role the
/// framework no longer has).
pub fn expectations(framework: &Framework, role: &RoleId) -> BTreeMap<CompetencyId, u32> {
    framework
        .role(role.as_str())
        .map(|r| {
            r.expectations
                .iter()
                .map(|e| (e.competency.clone(), e.level))
                .collect()
        })
        .unwrap_or_default()
}

/// Closes a cycle on `today`; fails when it is already closed.
pub fn close_cycle(cycle: &Cycle, today: NaiveDate) -> Result<Cycle, ReviewError> {
    if !cycle.is_open() {
        return Err(ReviewError::AlreadyClosed(cycle.id));
    }
    Ok(Cycle {
        status: CycleStatus::Closed,
        closed_on: Some(today),
        ..cycle.clone()
    })
}

/// Releases a held cycle on `today`: the people reviewed now read their
/// manager's signed side. Open or closed cycles may be released.
pub fn release_cycle(cycle: &Cycle, today: NaiveDate) -> Result<Cycle, ReviewError> {
    if !cycle.hold_until_released {
        return Err(ReviewError::NotHeld(cycle.id));
    }
    if cycle.released_on.is_some() {
        return Err(ReviewError::AlreadyReleased(cycle.id));
    }
    Ok(Cycle {
        released_on: Some(today),
        ..cycle.clone()
    })
}

/// Which side of `review` the person `by` writes: the person reviewed
/// writes the self side, their current direct manager the manager side.
pub fn side_of(org: &Org, review: &Review, by: PersonId) -> Result<Side, ReviewError> {
    if by == review.person {
        Ok(Side::Own)
    } else if org.index().manager(review.person) == Some(by) {
        Ok(Side::Manager)
    } else {
        Err(ReviewError::NotYourReview)
    }
}

/// One edit of a review, as the person or the manager asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Set the level and evidence of competencies on the writer's side
    /// (others are left as they are).
    Assess(BTreeMap<CompetencyId, Rated>),
    /// Set the overall rating (manager only).
    Rate(Rating),
    /// Sign the writer's side, freezing it.
    Sign,
}

/// Applies `edit`, written by `side` on `today`, returning the review after
/// it. Nothing changes on error: a closed cycle, a signed review or side, an
/// unknown competency, a level off the scale, blank evidence, a rating by
/// the person, or a signature before the side is complete.
pub fn edit(
    framework: &Framework,
    cycle: &Cycle,
    review: &Review,
    side: Side,
    author: PersonId,
    edit: Edit,
    today: NaiveDate,
) -> Result<Review, ReviewError> {
    if !cycle.is_open() {
        return Err(ReviewError::CycleClosed(cycle.id));
    }
    if review.is_signed() {
        return Err(ReviewError::ReviewSigned(review.id));
    }
    if review.side(side).signed_on.is_some() {
        return Err(ReviewError::SideSigned(side.as_str()));
    }
    let mut next = review.clone();
    match edit {
        Edit::Assess(levels) => {
            for (competency, rated) in levels {
                if !review.expected.contains_key(&competency) {
                    return Err(ReviewError::UnknownCompetency(competency.to_string()));
                }
                let max = framework
                    .competency(competency.as_str())
                    .map_or(0, |c| c.levels.len() as u32);
                if rated.level == 0 || rated.level > max {
                    return Err(ReviewError::LevelOutOfRange {
                        competency: competency.to_string(),
                        level: rated.level,
                        max,
                    });
                }
                let evidence = rated.evidence.trim().to_owned();
                if evidence.is_empty() {
                    return Err(ReviewError::MissingEvidence(competency.to_string()));
                }
                climb_people::check_text(
                    &format!("the evidence for `{competency}`"),
                    &evidence,
                    MAX_TEXT,
                )
                .map_err(ReviewError::Text)?;
                next.side_mut(side).competencies.insert(
                    competency,
                    Rated {
                        level: rated.level,
                        evidence,
                    },
                );
            }
            next.side_mut(side).author = Some(author);
        }
        Edit::Rate(rating) => {
            if side != Side::Manager {
                return Err(ReviewError::RatingByManager);
            }
            next.rating = Some(rating);
            next.manager.author = Some(author);
        }
        Edit::Sign => {
            // Named in the framework's order, the order the page lists them.
            let mut missing: Vec<&CompetencyId> = review
                .expected
                .keys()
                .filter(|c| !review.side(side).competencies.contains_key(*c))
                .collect();
            missing.sort_by_key(|c| {
                framework
                    .competencies()
                    .iter()
                    .position(|k| &k.id == *c)
                    .unwrap_or(usize::MAX)
            });
            let missing: Vec<&str> = missing.into_iter().map(CompetencyId::as_str).collect();
            if !missing.is_empty() {
                return Err(ReviewError::Incomplete(format!(
                    "not assessed yet: {}",
                    missing.join(", ")
                )));
            }
            if side == Side::Manager && review.rating.is_none() {
                return Err(ReviewError::Incomplete(
                    "the overall rating is missing".to_owned(),
                ));
            }
            let signing = next.side_mut(side);
            signing.signed_on = Some(today);
            signing.author.get_or_insert(author);
        }
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{company, day, fw};

    fn open(scope: Scope) -> Result<(Cycle, Vec<Review>), ReviewError> {
        let (org, _) = company();
        open_cycle(
            fw(),
            &org,
            CycleId(1),
            ReviewId(10),
            NewCycle {
                name: "2026 H1".to_owned(),
                period_start: day("2026-01-01"),
                period_end: day("2026-06-30"),
                scope,
                hold_until_released: false,
            },
            day("2026-07-01"),
        )
    }

    #[test]
    fn a_cycle_for_everyone_reviews_every_active_person_against_their_role() {
        let (cycle, reviews) = open(Scope::Everyone).expect("opened");
        assert!(cycle.is_open());
        assert_eq!(reviews.len(), 5);
        assert_eq!(reviews[0].id, ReviewId(10));
        let bob = reviews.last().expect("bob");
        assert_eq!(bob.role.as_str(), "software-engineer");
        assert_eq!(bob.expected, expectations(fw(), &bob.role));
        assert!(!bob.expected.is_empty());
    }

    #[test]
    fn a_cycle_below_a_manager_leaves_the_manager_out() {
        let (org, [_, _, em, alice, bob]) = company();
        let (_, reviews) = open(Scope::Below { manager: em }).expect("opened");
        let people: Vec<_> = reviews.iter().map(|r| r.person).collect();
        assert_eq!(people, vec![alice, bob]);
        assert!(org.person(em).is_some());
        assert_eq!(
            open(Scope::Below {
                manager: PersonId(99)
            })
            .map(|_| ()),
            Err(ReviewError::UnknownPerson(PersonId(99)))
        );
    }

    #[test]
    fn a_stream_cycle_takes_the_stream_and_refuses_an_unknown_one() {
        let (_, reviews) = open(Scope::Stream {
            stream: StreamId::parse("management").expect("id"),
        })
        .expect("opened");
        assert_eq!(reviews.len(), 2, "the VP and the engineering manager");
        let unknown = open(Scope::Stream {
            stream: StreamId::parse("sales").expect("id"),
        });
        assert_eq!(
            unknown.map(|_| ()).map_err(|e| e.code()),
            Err("unknown_stream")
        );
    }

    #[test]
    fn a_reversed_period_is_refused() {
        let (org, _) = company();
        let err = open_cycle(
            fw(),
            &org,
            CycleId(1),
            ReviewId(1),
            NewCycle {
                name: "x".to_owned(),
                period_start: day("2026-06-30"),
                period_end: day("2026-01-01"),
                scope: Scope::Everyone,
                hold_until_released: false,
            },
            day("2026-07-01"),
        );
        assert_eq!(err.map(|_| ()).map_err(|e| e.code()), Err("invalid_cycle"));
    }

    #[test]
    fn only_the_person_and_their_direct_manager_write_the_review() {
        let (org, [_, vp, em, _, bob]) = company();
        let (_, reviews) = open(Scope::Everyone).expect("opened");
        let review = reviews.iter().find(|r| r.person == bob).expect("bob");
        assert_eq!(side_of(&org, review, bob), Ok(Side::Own));
        assert_eq!(side_of(&org, review, em), Ok(Side::Manager));
        assert_eq!(side_of(&org, review, vp), Err(ReviewError::NotYourReview));
    }

    #[test]
    fn the_person_sees_the_manager_side_only_once_the_manager_signed_it() {
        let (cycle, reviews) = open(Scope::Everyone).expect("opened");
        let (_, [_, vp, em, _, bob]) = company();
        let review = reviews.iter().find(|r| r.person == bob).expect("bob");
        let (competency, level) = review.expected.iter().next().expect("a competency");
        let levels = BTreeMap::from([(
            competency.clone(),
            Rated {
                level: *level,
                evidence: "shipped the importer".to_owned(),
            },
        )]);
        let today = day("2026-07-01");
        let draft = edit(
            fw(),
            &cycle,
            review,
            Side::Manager,
            em,
            Edit::Assess(levels),
            today,
        )
        .and_then(|r| {
            edit(
                fw(),
                &cycle,
                &r,
                Side::Manager,
                em,
                Edit::Rate(Rating::ALL[0]),
                today,
            )
        })
        .expect("the manager saves a draft");
        let seen = draft.as_seen_by(&cycle, Some(bob));
        assert_eq!(seen.manager, Assessment::default());
        assert_eq!(seen.rating, None);
        assert_eq!(seen.own, draft.own, "their own side stays");
        for other in [Some(em), Some(vp), None] {
            assert_eq!(draft.as_seen_by(&cycle, other), draft);
        }
        let mut signed = draft.clone();
        signed.manager.signed_on = Some(today);
        assert_eq!(signed.as_seen_by(&cycle, Some(bob)), signed);

        // In a cycle held for calibration, a signed side waits for HR.
        let held = Cycle {
            hold_until_released: true,
            ..cycle.clone()
        };
        let waiting = signed.as_seen_by(&held, Some(bob));
        assert_eq!(waiting.manager, Assessment::default());
        assert_eq!(waiting.rating, None);
        assert_eq!(
            signed.as_seen_by(&held, Some(em)),
            signed,
            "the manager reads it"
        );
        let released = release_cycle(&held, today).expect("released");
        assert_eq!(signed.as_seen_by(&released, Some(bob)), signed);
    }

    #[test]
    fn a_side_signed_too_early_names_what_is_missing_in_the_frameworks_order() {
        let (cycle, reviews) = open(Scope::Everyone).expect("opened");
        let (_, [_, _, _, _, bob]) = company();
        let review = reviews.iter().find(|r| r.person == bob).expect("bob");
        let refused = edit(
            fw(),
            &cycle,
            review,
            Side::Own,
            bob,
            Edit::Sign,
            day("2026-07-01"),
        );
        let Err(ReviewError::Incomplete(message)) = refused else {
            panic!("signing an empty side is refused: {refused:?}");
        };
        let order: Vec<&str> = fw()
            .competencies()
            .iter()
            .map(|c| c.id.as_str())
            .filter(|id| review.expected.keys().any(|k| k.as_str() == *id))
            .collect();
        assert_eq!(message, format!("not assessed yet: {}", order.join(", ")));
        let alphabetical = {
            let mut sorted = order.clone();
            sorted.sort_unstable();
            sorted
        };
        assert_ne!(
            order, alphabetical,
            "the test framework orders them otherwise"
        );
    }

    #[test]
    fn only_a_held_cycle_is_released_and_only_once() {
        let (cycle, _) = open(Scope::Everyone).expect("opened");
        let today = day("2026-07-10");
        assert_eq!(
            release_cycle(&cycle, today),
            Err(ReviewError::NotHeld(cycle.id))
        );
        let held = Cycle {
            hold_until_released: true,
            ..cycle
        };
        assert!(!held.manager_side_released());
        let released = release_cycle(&held, today).expect("released");
        assert_eq!(released.released_on, Some(today));
        assert!(released.manager_side_released());
        assert_eq!(
            release_cycle(&released, today).map_err(|e| e.code()),
            Err("cycle_already_released")
        );
        let closed = close_cycle(&held, today).expect("closed");
        assert!(
            release_cycle(&closed, today).is_ok(),
            "a closed cycle is released too"
        );
    }

    #[test]
    fn the_rating_scale_round_trips_and_is_ordered() {
        for rating in Rating::ALL {
            assert_eq!(Rating::parse(rating.as_str()), Some(rating));
        }
        assert!(Rating::Outstanding > Rating::MeetsExpectations);
        assert_eq!(Rating::MeetsExpectations.value(), 3);
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        #[derive(Debug, Clone)]
        enum Op {
            Assess(Side, usize, u32, bool),
            Rate(Side, usize),
            Sign(Side),
            Close,
        }

        fn side() -> impl Strategy<Value = Side> {
            prop_oneof![Just(Side::Own), Just(Side::Manager)]
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                4 => (side(), 0usize..8, 0u32..7, any::<bool>())
                    .prop_map(|(s, c, l, e)| Op::Assess(s, c, l, e)),
                1 => (side(), 0usize..5).prop_map(|(s, r)| Op::Rate(s, r)),
                2 => side().prop_map(Op::Sign),
                1 => Just(Op::Close),
            ]
        }

        fn run(cycle: &mut Cycle, review: &Review, op: &Op) -> Result<Review, ReviewError> {
            let competencies: Vec<CompetencyId> =
                fw().competencies().iter().map(|c| c.id.clone()).collect();
            let today = day("2026-07-01");
            let author = |s: Side| {
                if s == Side::Own {
                    review.person
                } else {
                    PersonId(3)
                }
            };
            match op {
                Op::Assess(s, c, level, evidence) => {
                    let competency = competencies
                        .get(*c)
                        .cloned()
                        .unwrap_or_else(|| crate::testkit::competency("not-a-competency"));
                    let text = if *evidence {
                        "seen in the Q2 launch"
                    } else {
                        " "
                    };
                    let levels = BTreeMap::from([(
                        competency,
                        Rated {
                            level: *level,
                            evidence: text.to_owned(),
                        },
                    )]);
                    edit(
                        fw(),
                        cycle,
                        review,
                        *s,
                        author(*s),
                        Edit::Assess(levels),
                        today,
                    )
                }
                Op::Rate(s, r) => edit(
                    fw(),
                    cycle,
                    review,
                    *s,
                    author(*s),
                    Edit::Rate(Rating::ALL[*r]),
                    today,
                ),
                Op::Sign(s) => edit(fw(), cycle, review, *s, author(*s), Edit::Sign, today),
                Op::Close => {
                    *cycle = close_cycle(cycle, today)?;
                    Ok(review.clone())
                }
            }
        }

        /// Fills both sides so that signing succeeds.
        fn complete(cycle: &Cycle, review: &Review) -> Review {
            let mut r = review.clone();
            for s in [Side::Own, Side::Manager] {
                let levels = r
                    .expected
                    .iter()
                    .map(|(c, l)| {
                        (
                            c.clone(),
                            Rated {
                                level: *l,
                                evidence: "ok".to_owned(),
                            },
                        )
                    })
                    .collect();
                let today = day("2026-07-01");
                r = edit(fw(), cycle, &r, s, PersonId(3), Edit::Assess(levels), today)
                    .unwrap_or_else(|e| panic!("assess: {e}"));
            }
            r = edit(
                fw(),
                cycle,
                &r,
                Side::Manager,
                PersonId(3),
                Edit::Rate(Rating::MeetsExpectations),
                day("2026-07-01"),
            )
            .unwrap_or_else(|e| panic!("rate: {e}"));
            r
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// Once both sides signed, or the cycle closed, every edit is
            /// refused and the review stays exactly as it was; a signed side
            /// never changes while the other is still being written.
            #[test]
            fn a_signed_review_cannot_change(
                prefix in proptest::collection::vec(op(), 0..20),
                after in proptest::collection::vec(op(), 1..20),
                fill in any::<bool>(),
            ) {
                let (org, _) = crate::testkit::company();
                let (mut cycle, reviews) = open_cycle(
                    fw(), &org, CycleId(1), ReviewId(1),
                    NewCycle {
                        name: "p".to_owned(),
                        period_start: day("2026-01-01"),
                        period_end: day("2026-06-30"),
                        scope: Scope::Everyone,
                        hold_until_released: false,
                    },
                    day("2026-07-01"),
                ).expect("opened");
                let mut review = reviews[4].clone();
                if fill {
                    review = complete(&cycle, &review);
                }
                for op in prefix.iter().chain(&after) {
                    let frozen_own = review.own.signed_on.is_some().then(|| review.own.clone());
                    let frozen_manager =
                        review.manager.signed_on.is_some().then(|| review.manager.clone());
                    let frozen = (review.is_signed() || !cycle.is_open()).then(|| review.clone());
                    let was_open = cycle.is_open();
                    match run(&mut cycle, &review, op) {
                        Ok(next) => {
                            prop_assert!(frozen.is_none() || matches!(op, Op::Close) && was_open,
                                "an edit of a read-only review succeeded: {op:?}");
                            review = next;
                        }
                        Err(e) => {
                            if let Some(frozen) = &frozen {
                                prop_assert!(
                                    matches!(e, ReviewError::ReviewSigned(_) | ReviewError::CycleClosed(_) | ReviewError::AlreadyClosed(_)),
                                    "unexpected refusal {e:?}"
                                );
                                prop_assert_eq!(frozen, &review);
                            }
                        }
                    }
                    if let Some(own) = frozen_own {
                        prop_assert_eq!(own, review.own.clone());
                    }
                    if let Some(manager) = frozen_manager {
                        prop_assert_eq!(manager, review.manager.clone());
                    }
                }
                // Signing both sides of a complete review on an open cycle freezes it.
                if fill && cycle.is_open() && !review.is_signed() {
                    let mut r = review.clone();
                    for s in [Side::Own, Side::Manager] {
                        if r.side(s).signed_on.is_none()
                            && let Ok(next) = edit(fw(), &cycle, &r, s, PersonId(3), Edit::Sign, day("2026-07-02")) {
                            r = next;
                        }
                    }
                    if r.is_signed() {
                        let again = edit(fw(), &cycle, &r, Side::Manager, PersonId(3), Edit::Rate(Rating::Outstanding), day("2026-07-03"));
                        prop_assert_eq!(again, Err(ReviewError::ReviewSigned(r.id)));
                    }
                }
            }
        }
    }
}

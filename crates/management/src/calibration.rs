//! The calibration view: the overall ratings of a cycle side by side, per
//! role (in chart order: stream, then seniority) and per seniority level
//! across streams, each with its distribution over the rating scale, so HR
//! and senior managers can see whether equal levels are rated alike.
//!
//! A review counts once the manager has given its rating (signed or not:
//! calibration usually happens before sign-off); `signed` says how many of
//! those are final.

use std::collections::BTreeMap;

use climb_framework::{Framework, RoleId, StreamId};
use serde::Serialize;

use crate::review::{Rating, Review};

/// Ratings counted over one group of reviews.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Distribution {
    /// Reviews in the group.
    pub reviews: usize,
    /// Reviews with a rating.
    pub rated: usize,
    /// Rated reviews signed by both sides.
    pub signed: usize,
    /// How many reviews got each rating, lowest first (index `value - 1`).
    pub counts: [usize; 5],
    /// The mean rating value (1 to 5), when any are rated.
    pub mean: Option<f64>,
}

impl Distribution {
    fn add(&mut self, group: &RatingCount) {
        self.reviews += group.reviews;
        if let Some(rating) = group.rating {
            self.rated += group.reviews;
            self.counts[usize::from(rating.value()) - 1] += group.reviews;
            self.signed += group.signed;
        }
    }

    fn finish(&mut self) {
        if self.rated > 0 {
            let total: usize = Rating::ALL
                .iter()
                .map(|r| usize::from(r.value()) * self.counts[usize::from(r.value()) - 1])
                .sum();
            self.mean = Some(total as f64 / self.rated as f64);
        }
    }
}

/// One role's ratings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleRow {
    /// The role reviewed (as recorded when the cycle opened).
    pub role: RoleId,
    /// Its stream.
    pub stream: StreamId,
    /// Its seniority.
    pub seniority: u8,
    /// Its ratings.
    pub ratings: Distribution,
}

/// One seniority level's ratings, across streams.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelRow {
    /// The seniority.
    pub seniority: u8,
    /// The ratings of every role at it.
    pub ratings: Distribution,
}

/// The calibration view of a set of reviews.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Per role, in chart order (stream file order, then seniority).
    pub roles: Vec<RoleRow>,
    /// Per seniority, lowest first.
    pub levels: Vec<LevelRow>,
    /// Everyone together.
    pub total: Distribution,
}

/// The reviews of one role that share an overall rating, counted: one row
/// of a grouped query, so a cycle is calibrated without reading each review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingCount {
    /// The role reviewed (as recorded when the cycle opened).
    pub role: RoleId,
    /// The rating they share, or none yet.
    pub rating: Option<Rating>,
    /// How many reviews.
    pub reviews: usize,
    /// How many of them are signed by both sides.
    pub signed: usize,
}

impl RatingCount {
    /// One review on its own.
    pub fn of(review: &Review) -> Self {
        RatingCount {
            role: review.role.clone(),
            rating: review.rating,
            reviews: 1,
            signed: usize::from(review.is_signed()),
        }
    }
}

/// Builds the calibration view of `reviews`. Reviews of a role the framework
/// no longer has are counted in the total only.
pub fn calibrate<'a>(
    framework: &Framework,
    reviews: impl IntoIterator<Item = &'a Review>,
) -> Calibration {
    let counted: Vec<RatingCount> = reviews.into_iter().map(RatingCount::of).collect();
    calibrate_counts(framework, &counted)
}

/// Builds the calibration view from reviews counted per role and rating
/// (groups may repeat a role and rating: they add up). The same view as
/// [`calibrate`] over the reviews counted.
pub fn calibrate_counts<'a>(
    framework: &Framework,
    groups: impl IntoIterator<Item = &'a RatingCount>,
) -> Calibration {
    let mut roles: BTreeMap<(usize, u8, usize), (RoleId, Distribution)> = BTreeMap::new();
    let mut levels: BTreeMap<u8, Distribution> = BTreeMap::new();
    let mut total = Distribution::default();
    for review in groups {
        total.add(review);
        let Some(role) = framework.role(review.role.as_str()) else {
            continue;
        };
        let stream = framework
            .stream_position(role.stream.as_str())
            .unwrap_or(usize::MAX);
        let position = framework
            .role_position(role.id.as_str())
            .unwrap_or(usize::MAX);
        let seniority = role.seniority.get();
        roles
            .entry((stream, seniority, position))
            .or_insert_with(|| (role.id.clone(), Distribution::default()))
            .1
            .add(review);
        levels.entry(seniority).or_default().add(review);
    }
    total.finish();
    Calibration {
        roles: roles
            .into_iter()
            .filter_map(|(_, (id, mut ratings))| {
                ratings.finish();
                let role = framework.role(id.as_str())?;
                Some(RoleRow {
                    stream: role.stream.clone(),
                    seniority: role.seniority.get(),
                    role: id,
                    ratings,
                })
            })
            .collect(),
        levels: levels
            .into_iter()
            .map(|(seniority, mut ratings)| {
                ratings.finish();
                LevelRow { seniority, ratings }
            })
            .collect(),
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{Assessment, CycleId, ReviewId};
    use crate::testkit::{fw, role};
    use climb_people::PersonId;

    fn rated(id: i64, role_id: &str, rating: Option<Rating>) -> Review {
        Review {
            id: ReviewId(id),
            cycle: CycleId(1),
            person: PersonId(id),
            role: role(role_id),
            expected: BTreeMap::new(),
            own: Assessment::default(),
            manager: Assessment::default(),
            rating,
        }
    }

    #[test]
    fn ratings_are_counted_per_role_and_per_seniority() {
        let reviews = [
            rated(1, "software-engineer", Some(Rating::MeetsExpectations)),
            rated(2, "software-engineer", Some(Rating::Outstanding)),
            rated(3, "software-engineer", None),
            rated(4, "staff-engineer", Some(Rating::ExceedsExpectations)),
            rated(5, "architect", Some(Rating::BelowExpectations)),
        ];
        let view = calibrate(fw(), &reviews);
        assert_eq!(view.total.reviews, 5);
        assert_eq!(view.total.rated, 4);
        let se = &view.roles[0];
        assert_eq!(se.role.as_str(), "software-engineer");
        assert_eq!(se.ratings.counts, [0, 0, 1, 0, 1]);
        assert_eq!(se.ratings.mean, Some(4.0));
        assert_eq!(se.ratings.reviews, 3);
        // Staff engineer and architect share a seniority: one level row.
        let staff = fw().role("staff-engineer").expect("role").seniority.get();
        let architect = fw().role("architect").expect("role").seniority.get();
        if staff == architect {
            let level = view
                .levels
                .iter()
                .find(|l| l.seniority == staff)
                .expect("level");
            assert_eq!(level.ratings.counts, [1, 0, 0, 1, 0]);
        }
        let order: Vec<_> = view.roles.iter().map(|r| r.role.as_str()).collect();
        assert_eq!(
            order,
            vec!["software-engineer", "staff-engineer", "architect"]
        );
    }

    #[test]
    fn counted_groups_give_the_view_of_the_reviews_counted() {
        let mut signed = rated(6, "software-engineer", Some(Rating::MeetsExpectations));
        signed.own.signed_on = chrono::NaiveDate::from_ymd_opt(2026, 3, 1);
        signed.manager.signed_on = signed.own.signed_on;
        let reviews = [
            rated(1, "software-engineer", Some(Rating::MeetsExpectations)),
            rated(2, "software-engineer", Some(Rating::Outstanding)),
            rated(3, "software-engineer", None),
            rated(4, "staff-engineer", Some(Rating::ExceedsExpectations)),
            rated(5, "no-longer-a-role", Some(Rating::BelowExpectations)),
            signed,
        ];
        // Grouped as a query would: one row per role and rating.
        let mut groups: Vec<RatingCount> = Vec::new();
        for review in &reviews {
            let one = RatingCount::of(review);
            match groups
                .iter_mut()
                .find(|g| g.role == one.role && g.rating == one.rating)
            {
                Some(group) => {
                    group.reviews += one.reviews;
                    group.signed += one.signed;
                }
                None => groups.push(one),
            }
        }
        assert!(groups.len() < reviews.len());
        let view = calibrate_counts(fw(), &groups);
        assert_eq!(view, calibrate(fw(), &reviews));
        assert_eq!(view.total.signed, 1);
        assert_eq!(view.total.reviews, 6);
    }

    #[test]
    fn nothing_rated_has_no_mean() {
        let view = calibrate(fw(), &[rated(1, "software-engineer", None)]);
        assert_eq!(view.total.mean, None);
        assert_eq!(view.levels.len(), 1);
    }
}

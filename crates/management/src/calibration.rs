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
    fn add(&mut self, review: &Review) {
        self.reviews += 1;
        if let Some(rating) = review.rating {
            self.rated += 1;
            self.counts[usize::from(rating.value()) - 1] += 1;
            if review.is_signed() {
                self.signed += 1;
            }
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

/// Builds the calibration view of `reviews`. Reviews of a role the framework
/// no longer has are counted in the total only.
pub fn calibrate<'a>(
    framework: &Framework,
    reviews: impl IntoIterator<Item = &'a Review>,
) -> Calibration {
    let mut roles: BTreeMap<(usize, u8, usize), (RoleId, Distribution)> = BTreeMap::new();
    let mut levels: BTreeMap<u8, Distribution> = BTreeMap::new();
    let mut total = Distribution::default();
    for review in reviews {
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
    fn nothing_rated_has_no_mean() {
        let view = calibrate(fw(), &[rated(1, "software-engineer", None)]);
        assert_eq!(view.total.mean, None);
        assert_eq!(view.levels.len(), 1);
    }
}

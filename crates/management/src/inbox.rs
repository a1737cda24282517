//! "What needs me": the things waiting on one person, most urgent first.
//! The caller reads the facts (the reviews they take part in, their
//! one-on-ones, action items, proposals awaiting their decision, openings to fill)
//! and this module decides which of them are tasks for that person, how
//! urgent each is on a given day, and in what order they are listed, and
//! words each one with the page it is done on ([`describe`]), for the home
//! page and the weekly digest mail alike.

use chrono::{Datelike, Duration, NaiveDate};
use climb_framework::{Framework, RoleId};
use climb_people::{Org, PersonId};

use crate::promotion::ProposalId;
use crate::review::{Assessment, Cycle, Review, ReviewId};

/// How soon a task must be done, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Urgency {
    /// Its day has passed.
    Overdue,
    /// Due today.
    Today,
    /// Due within the rest of this week (Monday to Sunday).
    ThisWeek,
    /// Waiting, with no day or a later one.
    Open,
}

impl Urgency {
    /// The urgency of something due on `due`, seen on `today`.
    pub fn of(due: NaiveDate, today: NaiveDate) -> Self {
        if due < today {
            Self::Overdue
        } else if due == today {
            Self::Today
        } else if due <= end_of_week(today) {
            Self::ThisWeek
        } else {
            Self::Open
        }
    }

    /// `overdue`, `today`, `this-week` or `open`, for styles and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Overdue => "overdue",
            Self::Today => "today",
            Self::ThisWeek => "this-week",
            Self::Open => "open",
        }
    }
}

/// The Sunday ending the week of `day`.
fn end_of_week(day: NaiveDate) -> NaiveDate {
    day + Duration::days(6 - i64::from(day.weekday().num_days_from_monday()))
}

/// What is waiting, with what the page needs to link to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work {
    /// Write your own side of a review.
    SelfReview { review: ReviewId },
    /// Write a report's review (the manager side and the rating).
    ManagerReview { review: ReviewId, person: PersonId },
    /// Your side is written: sign it. `person` is who is reviewed.
    SignReview { review: ReviewId, person: PersonId },
    /// A one-on-one with `report` (you are their manager, or `report` is
    /// you and the meeting is with your manager). `overdue` when the last
    /// one lies more than the cadence in the past.
    OneOnOne {
        report: PersonId,
        meeting: Option<i64>,
    },
    /// An action item you own from a one-on-one of `report`.
    Action {
        id: i64,
        report: PersonId,
        meeting: i64,
        text: String,
    },
    /// A promotion proposal waiting for your decision.
    Decision {
        proposal: ProposalId,
        person: PersonId,
    },
    /// An opening to fill (HR): `role` on the team of `manager`.
    Opening {
        id: i64,
        role: RoleId,
        manager: PersonId,
    },
}

/// One thing waiting on the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// What it is.
    pub work: Work,
    /// How urgent it is today.
    pub urgency: Urgency,
    /// The day it is due, when it has one.
    pub due: Option<NaiveDate>,
    /// The day it started waiting (a cycle's opening, a draft's day), which
    /// orders tasks of equal urgency and no due day: the longest waiting first.
    pub since: Option<NaiveDate>,
}

/// Whether a side has assessed every competency the review expects.
fn complete(review: &Review, side: &Assessment) -> bool {
    review
        .expected
        .keys()
        .all(|c| side.competencies.contains_key(c))
}

/// The review tasks of `me` among `reviews`: their own reviews and those of
/// their direct reports (`reports`). Only reviews of open cycles that are not
/// yet signed by both count; a cycle's close is not a deadline the store
/// keeps, so these tasks are open ones, oldest cycle first.
pub fn review_tasks(me: PersonId, reports: &[PersonId], reviews: &[(Review, Cycle)]) -> Vec<Task> {
    let mut tasks = Vec::new();
    for (review, cycle) in reviews {
        if !cycle.is_open() || review.is_signed() {
            continue;
        }
        let work = if review.person == me {
            if review.own.signed_on.is_some() {
                continue;
            }
            if complete(review, &review.own) {
                Work::SignReview {
                    review: review.id,
                    person: me,
                }
            } else {
                Work::SelfReview { review: review.id }
            }
        } else if reports.contains(&review.person) {
            if review.manager.signed_on.is_some() {
                continue;
            }
            if complete(review, &review.manager) && review.rating.is_some() {
                Work::SignReview {
                    review: review.id,
                    person: review.person,
                }
            } else {
                Work::ManagerReview {
                    review: review.id,
                    person: review.person,
                }
            }
        } else {
            continue;
        };
        tasks.push(Task {
            work,
            urgency: Urgency::Open,
            due: None,
            since: Some(cycle.opened_on),
        });
    }
    tasks
}

/// A one-on-one as a task. A meeting today is today's, even when the
/// cadence has slipped (holding it is what catches up); otherwise one that
/// is overdue by its cadence, or whose day has passed, is overdue. A
/// meeting more than a week away is not listed.
pub fn one_on_one_task(
    report: PersonId,
    meeting: Option<(i64, NaiveDate)>,
    overdue: bool,
    today: NaiveDate,
) -> Option<Task> {
    let due = meeting.map(|(_, day)| day);
    let urgency = match due {
        Some(day) if day == today => Urgency::Today,
        _ if overdue => Urgency::Overdue,
        Some(day) => Urgency::of(day, today),
        None => return None,
    };
    if urgency == Urgency::Open {
        return None;
    }
    Some(Task {
        work: Work::OneOnOne {
            report,
            meeting: meeting.map(|(id, _)| id),
        },
        urgency,
        due,
        since: None,
    })
}

/// An action item as a task for its owner: listed once it is due within a
/// week or overdue, never once done.
pub fn action_task(
    id: i64,
    report: PersonId,
    meeting: i64,
    text: &str,
    due: NaiveDate,
    done: bool,
    today: NaiveDate,
) -> Option<Task> {
    if done || due > today + Duration::days(7) {
        return None;
    }
    Some(Task {
        work: Work::Action {
            id,
            report,
            meeting,
            text: text.to_owned(),
        },
        urgency: Urgency::of(due, today),
        due: Some(due),
        since: None,
    })
}

/// A proposal awaiting the person's decision.
pub fn decision_task(proposal: ProposalId, person: PersonId, drafted: NaiveDate) -> Task {
    Task {
        work: Work::Decision { proposal, person },
        urgency: Urgency::Open,
        due: None,
        since: Some(drafted),
    }
}

/// An opening for HR to fill, waiting since the day it was opened.
pub fn opening_task(id: i64, role: RoleId, manager: PersonId, opened: NaiveDate) -> Task {
    Task {
        work: Work::Opening { id, role, manager },
        urgency: Urgency::Open,
        due: None,
        since: Some(opened),
    }
}

/// Orders tasks for the list: most urgent first; then the earliest due
/// day; then what has waited longest.
pub fn sort(tasks: &mut [Task]) {
    tasks.sort_by(|a, b| {
        a.urgency
            .cmp(&b.urgency)
            .then_with(|| cmp_some_first(a.due, b.due))
            .then_with(|| cmp_some_first(a.since, b.since))
    });
}

/// How many tasks wait on a person, by the section of the app where they
/// are done, for the counts beside the navigation's links.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Every task.
    pub total: usize,
    /// The tasks whose day has passed.
    pub overdue: usize,
    /// Reviews to write or sign.
    pub reviews: usize,
    /// One-on-ones due or overdue, and action items.
    pub one_on_ones: usize,
    /// Promotion proposals awaiting a decision.
    pub decisions: usize,
    /// Openings to fill.
    pub openings: usize,
}

impl Counts {
    /// Counts `tasks` by where each is done.
    pub fn of(tasks: &[Task]) -> Self {
        let mut counts = Self {
            total: tasks.len(),
            ..Self::default()
        };
        for task in tasks {
            if task.urgency == Urgency::Overdue {
                counts.overdue += 1;
            }
            let section = match task.work {
                Work::SelfReview { .. } | Work::ManagerReview { .. } | Work::SignReview { .. } => {
                    &mut counts.reviews
                }
                Work::OneOnOne { .. } | Work::Action { .. } => &mut counts.one_on_ones,
                Work::Decision { .. } => &mut counts.decisions,
                Work::Opening { .. } => &mut counts.openings,
            };
            *section += 1;
        }
        counts
    }
}

/// Earlier days first, and a day before none.
fn cmp_some_first(a: Option<NaiveDate>, b: Option<NaiveDate>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// A task in words: what to do, the site path where it is done, and its
/// due day or how long it has waited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// What to do, as a sentence.
    pub text: String,
    /// Where it is done.
    pub href: String,
    /// The due day or how long it has waited, in words (may be empty).
    pub when: String,
}

fn name(org: &Org, person: PersonId) -> String {
    org.person(person)
        .map_or_else(|| "someone".to_owned(), |p| p.name.clone())
}

/// `task` of `me` in words, seen on `today`: people by name, roles by
/// title, never an id in the sentence.
pub fn describe(
    framework: &Framework,
    org: &Org,
    me: Option<PersonId>,
    task: &Task,
    today: NaiveDate,
) -> Described {
    let (text, href) = match &task.work {
        Work::SelfReview { review } => (
            "Write your self-review".to_owned(),
            format!("/reviews/{}", review.0),
        ),
        Work::ManagerReview { review, person } => (
            format!("Write {}’s review", name(org, *person)),
            format!("/reviews/{}", review.0),
        ),
        Work::SignReview { review, person } if Some(*person) == me => (
            "Sign your review".to_owned(),
            format!("/reviews/{}", review.0),
        ),
        Work::SignReview { review, person } => (
            format!("Sign {}’s review", name(org, *person)),
            format!("/reviews/{}", review.0),
        ),
        Work::OneOnOne { report, meeting } => {
            let with = if Some(*report) == me {
                org.index()
                    .manager(*report)
                    .map_or_else(|| "your manager".to_owned(), |m| name(org, m))
            } else {
                name(org, *report)
            };
            let text = if task.urgency == Urgency::Overdue {
                format!("One-on-one with {with} is overdue")
            } else if task.urgency == Urgency::Today {
                format!("One-on-one with {with} today")
            } else {
                format!("One-on-one with {with}")
            };
            let href = match meeting {
                Some(id) => format!("/one-on-ones/{id}"),
                None => format!("/one-on-ones/with/{}", report.0),
            };
            (text, href)
        }
        Work::Action { text, meeting, .. } => {
            (format!("Action: {text}"), format!("/one-on-ones/{meeting}"))
        }
        Work::Decision { proposal, person } => (
            format!("Decide on {}’s promotion", name(org, *person)),
            format!("/promotions/{}", proposal.0),
        ),
        Work::Opening { id, role, manager } => (
            format!(
                "Fill the {} opening on {}’s team",
                framework
                    .role(role.as_str())
                    .map_or(role.as_str(), |r| r.title.as_str()),
                name(org, *manager)
            ),
            format!("/openings#opening-{id}"),
        ),
    };
    Described {
        text,
        href,
        when: when(task, today),
    }
}

/// The due day, or how long the task has waited, in words.
fn when(task: &Task, today: NaiveDate) -> String {
    match (task.due, task.since) {
        (Some(due), _) if due == today && !matches!(task.work, Work::OneOnOne { .. }) => {
            "due today".to_owned()
        }
        (Some(due), _) if due == today => String::new(),
        (Some(due), _) if due < today => {
            let days = (today - due).num_days();
            if days == 1 {
                "due yesterday".to_owned()
            } else {
                format!("due {days} days ago")
            }
        }
        (Some(due), _) => format!("{}", due.format("%a %-d %b")),
        (None, Some(since)) => {
            let days = (today - since).num_days();
            match days {
                i64::MIN..=0 => "new today".to_owned(),
                1 => "waiting since yesterday".to_owned(),
                _ => format!("waiting {days} days"),
            }
        }
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use climb_framework::CompetencyId;

    use super::*;
    use crate::review::{CycleId, CycleStatus, Rated, Rating, Scope};

    #[test]
    fn counts_group_tasks_by_the_section_where_they_are_done() {
        let review = Task {
            work: Work::SelfReview {
                review: ReviewId(1),
            },
            urgency: Urgency::Open,
            due: None,
            since: Some(day(1)),
        };
        let late = one_on_one_task(PersonId(2), None, true, day(7)).expect("an overdue one");
        let decision = decision_task(ProposalId(3), PersonId(4), day(2));
        let counts = Counts::of(&[review, late, decision.clone(), decision]);
        assert_eq!(
            counts,
            Counts {
                total: 4,
                overdue: 1,
                reviews: 1,
                one_on_ones: 1,
                decisions: 2,
                openings: 0,
            }
        );
        assert_eq!(Counts::of(&[]), Counts::default());
    }

    fn day(d: u32) -> NaiveDate {
        // December 2026: the 7th is a Monday.
        NaiveDate::from_ymd_opt(2026, 12, d).expect("a day")
    }

    fn cycle(open: bool) -> Cycle {
        Cycle {
            id: CycleId(1),
            name: "2026 H2".to_owned(),
            period_start: day(1),
            period_end: day(31),
            scope: Scope::Everyone,
            status: if open {
                CycleStatus::Open
            } else {
                CycleStatus::Closed
            },
            opened_on: day(1),
            closed_on: None,
            hold_until_released: false,
            released_on: None,
        }
    }

    fn review(id: i64, person: i64) -> Review {
        let delivery = CompetencyId::parse("delivery").expect("id");
        Review {
            id: ReviewId(id),
            cycle: CycleId(1),
            person: PersonId(person),
            role: RoleId::parse("software-engineer").expect("id"),
            expected: BTreeMap::from([(delivery, 2)]),
            own: Assessment::default(),
            manager: Assessment::default(),
            rating: None,
        }
    }

    fn written(review: &mut Review, manager: bool) {
        let side = if manager {
            &mut review.manager
        } else {
            &mut review.own
        };
        side.competencies.insert(
            CompetencyId::parse("delivery").expect("id"),
            Rated {
                level: 2,
                evidence: "Shipped the importer.".to_owned(),
            },
        );
        if manager {
            review.rating = Some(Rating::MeetsExpectations);
        }
    }

    #[test]
    fn urgency_follows_the_day_and_the_week() {
        assert_eq!(Urgency::of(day(6), day(7)), Urgency::Overdue);
        assert_eq!(Urgency::of(day(7), day(7)), Urgency::Today);
        assert_eq!(Urgency::of(day(13), day(7)), Urgency::ThisWeek);
        assert_eq!(Urgency::of(day(14), day(7)), Urgency::Open);
    }

    #[test]
    fn reviews_become_the_side_each_person_still_owes() {
        let me = PersonId(1);
        let report = PersonId(2);
        let mut mine = review(10, 1);
        let theirs = review(11, 2);
        let mut written_theirs = review(12, 2);
        written(&mut written_theirs, true);
        let stranger = review(13, 3);
        let tasks = review_tasks(
            me,
            &[report],
            &[
                (mine.clone(), cycle(true)),
                (theirs, cycle(true)),
                (written_theirs, cycle(true)),
                (stranger, cycle(true)),
                (review(14, 2), cycle(false)),
            ],
        );
        let works: Vec<_> = tasks.iter().map(|t| t.work.clone()).collect();
        assert_eq!(
            works,
            vec![
                Work::SelfReview {
                    review: ReviewId(10)
                },
                Work::ManagerReview {
                    review: ReviewId(11),
                    person: report
                },
                Work::SignReview {
                    review: ReviewId(12),
                    person: report
                },
            ]
        );
        written(&mut mine, false);
        mine.own.signed_on = Some(day(3));
        assert!(review_tasks(me, &[], &[(mine, cycle(true))]).is_empty());
    }

    #[test]
    fn a_one_on_one_is_listed_when_due_this_week_or_overdue() {
        let report = PersonId(2);
        let today = one_on_one_task(report, Some((5, day(7))), false, day(7));
        assert_eq!(today.map(|t| t.urgency), Some(Urgency::Today));
        let later = one_on_one_task(report, Some((5, day(16))), false, day(7));
        assert_eq!(later, None);
        let overdue = one_on_one_task(report, None, true, day(7));
        assert_eq!(overdue.map(|t| t.urgency), Some(Urgency::Overdue));
        let slipped_but_today = one_on_one_task(report, Some((5, day(7))), true, day(7));
        assert_eq!(
            slipped_but_today.map(|t| t.urgency),
            Some(Urgency::Today),
            "a meeting due today is not overdue"
        );
        let missed = one_on_one_task(report, Some((5, day(3))), false, day(7));
        assert_eq!(missed.map(|t| t.urgency), Some(Urgency::Overdue));
        assert_eq!(one_on_one_task(report, None, false, day(7)), None);
    }

    #[test]
    fn tasks_sort_by_urgency_then_due_day_then_waiting_time() {
        let mut tasks = vec![
            decision_task(ProposalId(1), PersonId(3), day(5)),
            action_task(2, PersonId(2), 3, "Send notes", day(9), false, day(7)).expect("due"),
            decision_task(ProposalId(4), PersonId(2), day(1)),
            action_task(5, PersonId(2), 3, "Book room", day(2), false, day(7)).expect("due"),
            decision_task(ProposalId(7), PersonId(3), day(6)),
        ];
        assert_eq!(
            action_task(6, PersonId(2), 3, "Later", day(30), false, day(7)),
            None,
            "an action due in more than a week waits"
        );
        sort(&mut tasks);
        let order: Vec<Urgency> = tasks.iter().map(|t| t.urgency).collect();
        assert_eq!(
            order,
            vec![
                Urgency::Overdue,
                Urgency::ThisWeek,
                Urgency::Open,
                Urgency::Open,
                Urgency::Open
            ]
        );
        assert_eq!(
            tasks[2].work,
            Work::Decision {
                proposal: ProposalId(4),
                person: PersonId(2)
            }
        );
        assert_eq!(
            tasks[3].work,
            Work::Decision {
                proposal: ProposalId(1),
                person: PersonId(3)
            }
        );
        assert!(
            action_task(8, PersonId(2), 3, "Done", day(1), true, day(7)).is_none(),
            "a done action is no task"
        );
    }
}

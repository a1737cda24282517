//! The sentences the demo writes as people would: review evidence per kind
//! of competency, one-on-one agenda items, notes and action items. Each is
//! picked deterministically from a list, so the same company reads the same
//! every time, and none holds an id. Also the demo's pick of working days.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use climb_framework::Competency;

/// What a competency is about, read from its id and name so that any
/// framework's competencies find fitting sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Technical,
    Delivery,
    Impact,
    Mentorship,
    Communication,
    Leadership,
    Other,
}

impl Kind {
    fn of(competency: &Competency) -> Self {
        let words = format!("{} {}", competency.id, competency.name).to_lowercase();
        let has = |needles: &[&str]| needles.iter().any(|n| words.contains(n));
        if has(&["mentor", "coach", "teach", "grow"]) {
            Self::Mentorship
        } else if has(&["communic", "writing", "collaborat", "present"]) {
            Self::Communication
        } else if has(&["lead", "strateg", "vision", "influence"]) {
            Self::Leadership
        } else if has(&["deliver", "execution", "ownership", "quality"]) {
            Self::Delivery
        } else if has(&["impact", "scope", "business", "product"]) {
            Self::Impact
        } else if has(&[
            "technical",
            "skill",
            "craft",
            "code",
            "engineer",
            "design",
            "architect",
        ]) {
            Self::Technical
        } else {
            Self::Other
        }
    }

    fn evidence(self) -> &'static [&'static str] {
        match self {
            Self::Technical => &[
                "Rewrote the search indexer so that a full rebuild fits in a lunch break.",
                "Found the cause of the nightly timeouts in the billing jobs and fixed it for good.",
                "Designed the new event schema and walked the team through its trade-offs.",
                "Replaced the hand-rolled retry logic with a small, well-tested library.",
                "Profiled the checkout page and removed the two queries that made it slow.",
                "Kept the dependency upgrades moving every month without breaking a release.",
            ],
            Self::Delivery => &[
                "Led the checkout migration and wrote its rollout plan.",
                "Shipped the invoice export on the date promised to the finance team.",
                "Broke the onboarding rework into small releases that each went out on time.",
                "Closed the long tail of bugs left after the mobile launch.",
                "Kept the payments project on track while two people were on leave.",
                "Delivered the reporting dashboard with tests and a runbook from day one.",
            ],
            Self::Impact => &[
                "The caching work cut the hosting bill noticeably this half-year.",
                "Support tickets about failed logins dropped after the session changes.",
                "The new alerting caught two incidents before customers noticed them.",
                "Made the partner API easy enough that sales could close two deals on it.",
                "Simplified the release process so that every team deploys on its own.",
                "Turned a recurring customer complaint into a fix that several teams reuse.",
            ],
            Self::Mentorship => &[
                "Paired every week with the newest engineer until they shipped on their own.",
                "Gave careful, kind code reviews that the team often cites.",
                "Ran the onboarding sessions for this half-year's new hires.",
                "Helped a colleague prepare their first design review.",
                "Wrote the guide to the test setup that new people now start from.",
                "Coached two engineers through their first on-call weeks.",
            ],
            Self::Communication => &[
                "Wrote clear weekly updates that other teams read and quote.",
                "Explained the migration risks to product in plain words.",
                "Ran the incident review calmly and wrote a useful summary.",
                "Kept the design document current as decisions changed.",
                "Presented the team's roadmap at the engineering all-hands.",
                "Answered questions from support quickly and without jargon.",
            ],
            Self::Leadership => &[
                "Set the direction for the data platform and got three teams behind it.",
                "Stepped in to coordinate the outage response and kept everyone informed.",
                "Proposed the new on-call rotation and saw it adopted across the department.",
                "Made the hard call to pause a feature that was not ready, and explained why.",
                "Brought two teams together to agree on one way of deploying services.",
                "Started the reading group on reliability that now meets every month.",
            ],
            Self::Other => &[
                "Took on more than the role asks and did it well.",
                "Showed steady progress over the half-year.",
                "Worked well with the team and with other departments.",
                "Handled a difficult quarter with care and good judgement.",
            ],
        }
    }
}

/// Evidence for `competency`, the `pick`-th sentence (wrapping) of its
/// kind's list; `pick` is any number the caller derives from the person.
pub(crate) fn evidence(competency: &Competency, pick: u64) -> &'static str {
    let list = Kind::of(competency).evidence();
    list[(pick % list.len() as u64) as usize]
}

/// Topics a report or a manager brings to a one-on-one.
const AGENDA: &[&str] = &[
    "How the current project is going and what is blocking it.",
    "Feedback on last week's design review.",
    "Whether to take on the on-call lead next month.",
    "Plans for the conference budget next year.",
    "What the next step towards a promotion looks like.",
    "How the new team rituals are working out.",
    "Time off over the holidays and who covers what.",
    "Ideas for making code reviews faster.",
];

/// What was agreed, as the manager writes it down.
const NOTES: &[&str] = &[
    "Agreed to pair on the rollout plan before the next release.",
    "Good progress; the next step is to share the design with the wider team.",
    "We will revisit the workload in two weeks.",
    "Approved one conference; the talk proposal is due next month.",
    "The team likes the shorter stand-ups; keeping them.",
];

/// Action items, each one owned by the report.
const ACTIONS: &[&str] = &[
    "Write down two goals for the next quarter.",
    "Share the draft rollout plan with the team.",
    "Book a session with the architects about the event schema.",
    "Pick a conference and send the talk proposal.",
    "Ask two colleagues for feedback on the last project.",
];

/// The `pick`-th agenda topic (wrapping).
pub(crate) fn agenda_item(pick: u64) -> &'static str {
    AGENDA[(pick % AGENDA.len() as u64) as usize]
}

/// The `pick`-th meeting note (wrapping).
pub(crate) fn note(pick: u64) -> &'static str {
    NOTES[(pick % NOTES.len() as u64) as usize]
}

/// The `pick`-th action item (wrapping).
pub(crate) fn action(pick: u64) -> &'static str {
    ACTIONS[(pick % ACTIONS.len() as u64) as usize]
}

/// Mixes `values` into one well-spread number (SplitMix64's finaliser), so
/// that neighbouring people get different sentences and ratings.
pub(crate) fn mix(values: &[u64]) -> u64 {
    let mut z: u64 = 0x9E37_79B9_7F4A_7C15;
    for v in values {
        z = (z ^ v).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
    }
    z
}

/// `day`, or the Friday before it when it falls on a weekend.
pub(crate) fn weekday_on_or_before(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day - Days::new(1),
        Weekday::Sun => day - Days::new(2),
        _ => day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sentence_ends_with_a_full_stop_and_holds_no_digits() {
        let all = [
            Kind::Technical,
            Kind::Delivery,
            Kind::Impact,
            Kind::Mentorship,
            Kind::Communication,
            Kind::Leadership,
            Kind::Other,
        ]
        .into_iter()
        .flat_map(Kind::evidence)
        .chain(AGENDA)
        .chain(NOTES)
        .chain(ACTIONS);
        for sentence in all {
            assert!(sentence.ends_with('.'), "{sentence}");
            assert!(!sentence.chars().any(|c| c.is_ascii_digit()), "{sentence}");
        }
    }

    #[test]
    fn the_builtin_competencies_find_their_own_kind() {
        let kinds: Vec<Kind> = climb_framework::builtin()
            .competencies()
            .iter()
            .map(Kind::of)
            .collect();
        assert!(!kinds.contains(&Kind::Other), "{kinds:?}");
    }
}

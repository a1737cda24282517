//! Who is told what: a review or promotion [`Fact`] becomes one [`Notice`]
//! per person who has something to do or to know about it, decided against
//! the org as it is when the change is written. Only active people are
//! told, and nobody about what they did themselves (except that opening a
//! review cycle tells everyone reviewed, the opener included).

use climb_framework::RoleId;
use climb_management::promotion::ProposalId;
use climb_management::review::{ReviewId, Side};
use climb_people::{Org, PersonId};
use serde::{Deserialize, Serialize};

/// Something that happened to reviews or promotion proposals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact<'a> {
    /// A review cycle opened with these reviews: `(review, person reviewed)`.
    CycleOpened {
        /// The cycle's name, e.g. "2026 H1".
        cycle: &'a str,
        /// Its reviews.
        reviews: &'a [(ReviewId, PersonId)],
    },
    /// One side of a review was signed.
    ReviewSigned {
        /// The review.
        review: ReviewId,
        /// Its cycle's name.
        cycle: &'a str,
        /// Who is reviewed.
        person: PersonId,
        /// The side just signed.
        side: Side,
        /// Whether the other side was signed already (the review is done).
        both_signed: bool,
    },
    /// A promotion proposal was drafted and waits for a decision.
    ProposalSubmitted {
        /// The proposal.
        proposal: ProposalId,
        /// Who would move.
        person: PersonId,
        /// Who drafted it.
        proposer: PersonId,
        /// The role proposed.
        to_role: &'a RoleId,
    },
    /// A promotion proposal was approved or rejected.
    ProposalDecided {
        /// The proposal.
        proposal: ProposalId,
        /// Who would move.
        person: PersonId,
        /// Who drafted it.
        proposer: PersonId,
        /// The role proposed.
        to_role: &'a RoleId,
        /// Approved (`true`) or rejected.
        approved: bool,
    },
}

/// What one person is told. Stored as JSON in the mail outbox, so it holds
/// ids and names of things, never free text someone wrote about a person;
/// people's names are read when the mail is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notice {
    /// A cycle opened: write your self-review.
    WriteOwnReview {
        /// The review.
        review: ReviewId,
        /// The cycle's name.
        cycle: String,
    },
    /// A cycle opened: write your report's review.
    WriteReportReview {
        /// The review.
        review: ReviewId,
        /// The cycle's name.
        cycle: String,
        /// The report.
        person: PersonId,
    },
    /// Your manager signed their side of your review: sign yours.
    SignOwnReview {
        /// The review.
        review: ReviewId,
        /// The cycle's name.
        cycle: String,
    },
    /// Your report signed their side: sign yours.
    SignReportReview {
        /// The review.
        review: ReviewId,
        /// The cycle's name.
        cycle: String,
        /// The report.
        person: PersonId,
    },
    /// The review of `person` is signed by both sides.
    ReviewComplete {
        /// The review.
        review: ReviewId,
        /// The cycle's name.
        cycle: String,
        /// Who is reviewed (the recipient, or their report).
        person: PersonId,
    },
    /// A proposal waits for your decision.
    DecideProposal {
        /// The proposal.
        proposal: ProposalId,
        /// Who would move.
        person: PersonId,
        /// Who drafted it.
        proposer: PersonId,
        /// The role proposed.
        to_role: RoleId,
    },
    /// A proposal you drafted, or about you, was decided.
    ProposalDecided {
        /// The proposal.
        proposal: ProposalId,
        /// Who would move.
        person: PersonId,
        /// The role proposed.
        to_role: RoleId,
        /// Approved or rejected.
        approved: bool,
    },
}

/// A notice and who it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressed {
    /// The recipient.
    pub to: PersonId,
    /// What they are told.
    pub notice: Notice,
}

/// The active manager of `person`, if they have one.
fn manager_of(org: &Org, person: PersonId) -> Option<PersonId> {
    org.index()
        .manager(person)
        .filter(|m| org.person(*m).is_some_and(|p| p.is_active()))
}

/// The notices `fact` causes when `actor` (the person who acted, if any)
/// made it happen, in a stable order.
pub fn notices(org: &Org, actor: Option<PersonId>, fact: &Fact<'_>) -> Vec<Addressed> {
    let mut found = Vec::new();
    let mut tell = |to: PersonId, notice: Notice| found.push(Addressed { to, notice });
    match fact {
        Fact::CycleOpened { cycle, reviews } => {
            for &(review, person) in *reviews {
                tell(
                    person,
                    Notice::WriteOwnReview {
                        review,
                        cycle: (*cycle).to_owned(),
                    },
                );
                if let Some(manager) = manager_of(org, person) {
                    tell(
                        manager,
                        Notice::WriteReportReview {
                            review,
                            cycle: (*cycle).to_owned(),
                            person,
                        },
                    );
                }
            }
        }
        Fact::ReviewSigned {
            review,
            cycle,
            person,
            side,
            both_signed,
        } => {
            let (review, cycle, person) = (*review, (*cycle).to_owned(), *person);
            match (side, both_signed) {
                (_, true) => {
                    let other = match side {
                        Side::Own => manager_of(org, person),
                        Side::Manager => Some(person),
                    };
                    if let Some(other) = other {
                        tell(
                            other,
                            Notice::ReviewComplete {
                                review,
                                cycle,
                                person,
                            },
                        );
                    }
                }
                (Side::Own, false) => {
                    if let Some(manager) = manager_of(org, person) {
                        tell(
                            manager,
                            Notice::SignReportReview {
                                review,
                                cycle,
                                person,
                            },
                        );
                    }
                }
                (Side::Manager, false) => tell(person, Notice::SignOwnReview { review, cycle }),
            }
        }
        Fact::ProposalSubmitted {
            proposal,
            person,
            proposer,
            to_role,
        } => {
            if let Some(decider) = manager_of(org, *proposer).filter(|d| d != person) {
                tell(
                    decider,
                    Notice::DecideProposal {
                        proposal: *proposal,
                        person: *person,
                        proposer: *proposer,
                        to_role: (*to_role).clone(),
                    },
                );
            }
        }
        Fact::ProposalDecided {
            proposal,
            person,
            proposer,
            to_role,
            approved,
        } => {
            for to in [*proposer, *person] {
                tell(
                    to,
                    Notice::ProposalDecided {
                        proposal: *proposal,
                        person: *person,
                        to_role: (*to_role).clone(),
                        approved: *approved,
                    },
                );
            }
        }
    }
    let opened = matches!(fact, Fact::CycleOpened { .. });
    let mut seen = std::collections::HashSet::new();
    found.retain(|a| {
        org.person(a.to).is_some_and(|p| p.is_active())
            && (opened || Some(a.to) != actor)
            && seen.insert((a.to, a.notice.clone()))
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{org, role};

    #[test]
    fn an_opened_cycle_tells_each_person_and_their_manager_what_to_write() {
        let (org, [_vp, em, bob, _alice, _carol]) = org();
        let reviews = [(ReviewId(1), bob)];
        let told = notices(
            &org,
            None,
            &Fact::CycleOpened {
                cycle: "2026 H1",
                reviews: &reviews,
            },
        );
        assert_eq!(
            told,
            vec![
                Addressed {
                    to: bob,
                    notice: Notice::WriteOwnReview {
                        review: ReviewId(1),
                        cycle: "2026 H1".into()
                    }
                },
                Addressed {
                    to: em,
                    notice: Notice::WriteReportReview {
                        review: ReviewId(1),
                        cycle: "2026 H1".into(),
                        person: bob
                    }
                },
            ]
        );
    }

    #[test]
    fn people_who_left_are_told_nothing() {
        let (org, [.., carol]) = org();
        let reviews = [(ReviewId(4), carol)];
        let fact = Fact::CycleOpened {
            cycle: "2026 H1",
            reviews: &reviews,
        };
        assert!(
            notices(&org, None, &fact).iter().all(|a| a.to != carol),
            "a leaver gets no mail"
        );
    }

    #[test]
    fn a_signed_side_asks_the_other_side_to_sign_and_a_second_signature_says_it_is_done() {
        let (org, [_vp, em, bob, ..]) = org();
        let signed = |side, both_signed| Fact::ReviewSigned {
            review: ReviewId(2),
            cycle: "2026 H1",
            person: bob,
            side,
            both_signed,
        };
        let by_bob = notices(&org, Some(bob), &signed(Side::Own, false));
        assert_eq!(by_bob.len(), 1);
        assert_eq!(by_bob[0].to, em);
        assert!(
            matches!(by_bob[0].notice, Notice::SignReportReview { person, .. } if person == bob)
        );
        let by_em = notices(&org, Some(em), &signed(Side::Manager, false));
        assert_eq!(by_em.len(), 1);
        assert_eq!(by_em[0].to, bob);
        assert!(matches!(by_em[0].notice, Notice::SignOwnReview { .. }));
        let last = notices(&org, Some(em), &signed(Side::Manager, true));
        assert_eq!(last.len(), 1);
        assert_eq!(last[0].to, bob);
        assert!(matches!(last[0].notice, Notice::ReviewComplete { .. }));
    }

    #[test]
    fn a_proposal_goes_to_the_proposers_manager_and_its_decision_to_proposer_and_person() {
        let (org, [vp, em, bob, ..]) = org();
        let to_role = role("senior-software-engineer");
        let submitted = notices(
            &org,
            Some(em),
            &Fact::ProposalSubmitted {
                proposal: ProposalId(3),
                person: bob,
                proposer: em,
                to_role: &to_role,
            },
        );
        assert_eq!(submitted.len(), 1);
        assert_eq!(submitted[0].to, vp);
        let decided = notices(
            &org,
            Some(vp),
            &Fact::ProposalDecided {
                proposal: ProposalId(3),
                person: bob,
                proposer: em,
                to_role: &to_role,
                approved: true,
            },
        );
        let to: Vec<PersonId> = decided.iter().map(|a| a.to).collect();
        assert_eq!(to, vec![em, bob]);
    }

    #[test]
    fn nobody_is_told_about_what_they_did_themselves() {
        let (org, [vp, em, bob, ..]) = org();
        let to_role = role("senior-software-engineer");
        // The proposer decided (an administrator who is also the proposer).
        let decided = notices(
            &org,
            Some(em),
            &Fact::ProposalDecided {
                proposal: ProposalId(3),
                person: bob,
                proposer: em,
                to_role: &to_role,
                approved: false,
            },
        );
        assert!(decided.iter().all(|a| a.to != em));
        assert!(decided.iter().all(|a| a.to != vp));
    }

    #[test]
    fn notices_round_trip_through_their_stored_json() {
        let notice = Notice::DecideProposal {
            proposal: ProposalId(9),
            person: PersonId(2),
            proposer: PersonId(1),
            to_role: role("staff-engineer"),
        };
        let text = serde_json::to_string(&notice).unwrap_or_default();
        assert!(text.contains("\"notice\":\"decide_proposal\""), "{text}");
        let back: Notice = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, notice);
    }
}

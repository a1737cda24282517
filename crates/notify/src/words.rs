//! The words of a mail: a notice or a digest becomes [`Words`] (a subject
//! that says what to do, a sentence or two, and links to where it is
//! done), and [`compose`] makes the plain-text mail with the greeting, the
//! site's address in front of every link and the footer saying how to
//! switch such mail off. Sentences name people and cycles, never ids;
//! nothing anyone wrote in a review, a proposal or a private note is quoted.

use climb_framework::Framework;
use climb_people::{Org, PersonId};

use crate::notice::Notice;

/// Which setting a mail comes under, for its footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// An immediate notice.
    Notice,
    /// The weekly digest.
    Digest,
}

/// A link in a mail: what it is for and the site path it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What to do there, as a short sentence.
    pub text: String,
    /// The path on the site, e.g. `/reviews/4`.
    pub path: String,
}

/// What a mail says, before the greeting, the site's address and the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// The subject: what to do.
    pub subject: String,
    /// The opening paragraph.
    pub intro: String,
    /// The links, in order.
    pub items: Vec<Item>,
    /// A closing paragraph, if any.
    pub closing: Option<String>,
    /// Which setting it comes under.
    pub reason: Reason,
}

/// A mail ready to send: its subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The subject line.
    pub subject: String,
    /// The body, plain text with CRLF-free `\n` line ends.
    pub text: String,
}

/// Where the settings page is, for the footer's switch-off link.
pub const SETTINGS_PATH: &str = "/tokens#mail";

fn name(org: &Org, person: PersonId) -> String {
    org.person(person)
        .map_or_else(|| "someone".to_owned(), |p| p.name.clone())
}

fn role_title(framework: &Framework, role: &climb_framework::RoleId) -> String {
    framework
        .role(role.as_str())
        .map_or_else(|| role.as_str().to_owned(), |r| r.title.clone())
}

/// The words of `notice` for its recipient `to`, people's names and role
/// titles read from `org` and `framework` now.
pub fn notice_words(notice: &Notice, to: PersonId, org: &Org, framework: &Framework) -> Words {
    let words = |subject: String, intro: String, action: &str, path: String| Words {
        subject,
        intro,
        items: vec![Item {
            text: action.to_owned(),
            path,
        }],
        closing: None,
        reason: Reason::Notice,
    };
    match notice {
        Notice::WriteOwnReview { review, cycle } => words(
            format!("Write your self-review for {cycle}"),
            format!(
                "The review cycle “{cycle}” has opened. Assess yourself against each competency your role expects, then sign your side."
            ),
            "Write your self-review",
            format!("/reviews/{}", review.0),
        ),
        Notice::WriteReportReview {
            review,
            cycle,
            person,
        } => {
            let who = name(org, *person);
            words(
                format!("Write {who}’s review for {cycle}"),
                format!(
                    "The review cycle “{cycle}” has opened. Assess {who} against each competency their role expects, give the overall rating, then sign your side."
                ),
                &format!("Write {who}’s review"),
                format!("/reviews/{}", review.0),
            )
        }
        Notice::SignOwnReview { review, cycle } => words(
            format!("Sign your review for {cycle}"),
            format!(
                "Your manager has signed their side of your review in “{cycle}”. When your own side is complete, sign it."
            ),
            "Sign your review",
            format!("/reviews/{}", review.0),
        ),
        Notice::SignReportReview {
            review,
            cycle,
            person,
        } => {
            let who = name(org, *person);
            words(
                format!("Sign {who}’s review for {cycle}"),
                format!(
                    "{who} has signed their side of their review in “{cycle}”. When your side is complete, sign it too."
                ),
                &format!("Sign {who}’s review"),
                format!("/reviews/{}", review.0),
            )
        }
        Notice::ReviewComplete {
            review,
            cycle,
            person,
        } => {
            let path = format!("/reviews/{}", review.0);
            if *person == to {
                words(
                    format!("Your review for {cycle} is signed"),
                    format!(
                        "Both sides of your review in “{cycle}” are signed; it is read-only now."
                    ),
                    "Read your review",
                    path,
                )
            } else {
                let who = name(org, *person);
                words(
                    format!("{who}’s review for {cycle} is signed"),
                    format!(
                        "Both sides of {who}’s review in “{cycle}” are signed; it is read-only now."
                    ),
                    &format!("Read {who}’s review"),
                    path,
                )
            }
        }
        Notice::DecideProposal {
            proposal,
            person,
            proposer,
            to_role,
        } => {
            let (who, by, role) = (
                name(org, *person),
                name(org, *proposer),
                role_title(framework, to_role),
            );
            words(
                format!("Decide on {who}’s promotion to {role}"),
                format!(
                    "{by} proposes promoting {who} to {role}. Read the evidence, then approve or reject the proposal."
                ),
                "Decide on the proposal",
                format!("/promotions/{}", proposal.0),
            )
        }
        Notice::ProposalDecided {
            proposal,
            person,
            to_role,
            approved,
        } => {
            let role = role_title(framework, to_role);
            let outcome = if *approved {
                "approved"
            } else {
                "not approved"
            };
            let path = format!("/promotions/{}", proposal.0);
            if *person == to {
                words(
                    format!("The proposal to promote you to {role} was {outcome}"),
                    format!(
                        "The proposal to promote you to {role} was {outcome}. The proposal page shows the decision."
                    ),
                    "Read the decision",
                    path,
                )
            } else {
                let who = name(org, *person);
                words(
                    format!("Your proposal to promote {who} to {role} was {outcome}"),
                    format!(
                        "Your proposal to promote {who} to {role} was {outcome}. The proposal page shows the decision."
                    ),
                    "Read the decision",
                    path,
                )
            }
        }
    }
}

/// The mail of `words` for a person called `name`, with links under
/// `base` (the site's public address, e.g. `https://climb.example.com`).
pub fn compose(name: &str, words: &Words, base: &str) -> Mail {
    let base = base.trim_end_matches('/');
    let first = name.split_whitespace().next().unwrap_or(name);
    let mut text = format!("Hello {first},\n\n{}\n", words.intro);
    for item in &words.items {
        text.push_str(&format!("\n- {}\n  {base}{}\n", item.text, item.path));
    }
    if let Some(closing) = &words.closing {
        text.push_str(&format!("\n{closing}\n"));
    }
    let footer = match words.reason {
        Reason::Notice => {
            "You receive this notice because notices are on for your climb account. \
             To stop them, switch them off on your account page"
        }
        Reason::Digest => {
            "You receive this weekly digest because it is on for your climb account. \
             To stop it, switch it off on your account page"
        }
    };
    text.push_str(&format!("\n-- \n{footer}: {base}{SETTINGS_PATH}\n"));
    Mail {
        subject: words.subject.clone(),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{org, role};
    use climb_management::promotion::ProposalId;
    use climb_management::review::ReviewId;

    #[test]
    fn a_notice_names_people_and_links_where_the_work_is_done() {
        let (org, [vp, em, bob, ..]) = org();
        let notice = Notice::WriteReportReview {
            review: ReviewId(41),
            cycle: "2026 H1".into(),
            person: bob,
        };
        let words = notice_words(&notice, em, &org, climb_framework::builtin());
        assert_eq!(words.subject, "Write Bob Marsh’s review for 2026 H1");
        let mail = compose("Emma Stone", &words, "https://climb.example.com/");
        assert!(mail.text.starts_with("Hello Emma,\n"), "{}", mail.text);
        assert!(
            mail.text
                .contains("\n- Write Bob Marsh’s review\n  https://climb.example.com/reviews/41\n"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("https://climb.example.com/tokens#mail"));
        // No ids in the sentences: the only digits are the cycle's and the link's.
        let sentences = mail.text.replace("2026", "").replace("/reviews/41", "");
        assert!(!sentences.contains("41"), "{sentences}");

        let decide = Notice::DecideProposal {
            proposal: ProposalId(7),
            person: bob,
            proposer: em,
            to_role: role("senior-software-engineer"),
        };
        let words = notice_words(&decide, vp, &org, climb_framework::builtin());
        assert_eq!(
            words.subject,
            "Decide on Bob Marsh’s promotion to Senior Software Engineer"
        );
        assert_eq!(words.items[0].path, "/promotions/7");
        assert!(words.intro.starts_with("Emma Stone proposes"));
    }

    #[test]
    fn a_decision_reads_differently_for_the_person_and_the_proposer() {
        let (org, [_vp, em, bob, ..]) = org();
        let decided = Notice::ProposalDecided {
            proposal: ProposalId(7),
            person: bob,
            to_role: role("senior-software-engineer"),
            approved: false,
        };
        let fw = climb_framework::builtin();
        assert_eq!(
            notice_words(&decided, bob, &org, fw).subject,
            "The proposal to promote you to Senior Software Engineer was not approved"
        );
        assert_eq!(
            notice_words(&decided, em, &org, fw).subject,
            "Your proposal to promote Bob Marsh to Senior Software Engineer was not approved"
        );
    }

    #[test]
    fn the_footer_says_which_setting_the_mail_comes_under() {
        let words = Words {
            subject: "s".into(),
            intro: "i".into(),
            items: vec![],
            closing: None,
            reason: Reason::Digest,
        };
        let mail = compose("Bob", &words, "http://127.0.0.1:8080");
        assert!(
            mail.text.contains(
                "this weekly digest because it is on for your climb account. To stop it,"
            ),
            "{}",
            mail.text
        );
    }
}

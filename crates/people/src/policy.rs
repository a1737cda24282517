//! Who may see and change what (SPEC §4, permissions), answered in one place
//! for every endpoint and page, and for [`crate::Org::decide`].
//!
//! [`Access::Forbidden`] means "answer 403: the caller may know it exists"
//! (an active person is in the public directory); [`Access::Hidden`] means
//! "answer 404 as if it did not exist" (private notes, people who left).
//! An account whose person has left, or is unknown, has no access at all:
//! a person who leaves loses their login at once.

use climb_framework::Framework;

use crate::actor::{Actor, ActorKind};
use crate::id::PersonId;
use crate::org::Org;

/// The answer to "may this actor do or see that".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Go ahead.
    Allowed,
    /// Refuse with 403: the object is visible, the operation is not theirs.
    Forbidden,
    /// Refuse with 404: the caller may not even know it exists.
    Hidden,
}

impl Access {
    /// Whether access is granted.
    pub fn is_allowed(self) -> bool {
        self == Self::Allowed
    }
}

/// Something to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// The framework, its chart and role pages: public inside the company.
    Framework,
    /// The directory and org chart of active people, and the org summary.
    Directory,
    /// One person's directory entry (name, role, stream, manager, reports).
    Person(PersonId),
    /// One person's own records: role history, designations history, reviews,
    /// growth plan, shared one-on-one notes and action items.
    Records(PersonId),
    /// An assessment of `subject` written by `author`.
    Assessment {
        /// Who is assessed.
        subject: PersonId,
        /// Who wrote it.
        author: PersonId,
    },
    /// A one-on-one note private to its author.
    PrivateNote {
        /// Who wrote it.
        author: PersonId,
    },
    /// The audit log.
    Audit,
    /// The calibration view of review ratings: of the whole company
    /// (`under: None`, HR and administrators), or of everyone below a
    /// senior manager (that manager themselves, HR and administrators).
    Calibration {
        /// Whose subtree, or the whole company.
        under: Option<PersonId>,
    },
    /// Figures drawn from the org (the insights analytics) over a subtree
    /// or the whole company; see [`Figures`] for who sees which.
    Insights {
        /// The subtree's root (themself included), or the whole company.
        under: Option<PersonId>,
        /// What the figures are drawn from.
        figures: Figures,
    },
}

/// What an insights figure is drawn from, which decides who may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Figures {
    /// Headcounts (the pyramid): for the whole company, directory-level,
    /// everyone signed in; for a subtree, as [`Figures::Careers`].
    Headcount,
    /// Careers and structure (time in role, flow, span of control, the
    /// projection): of a subtree, its root and their managers up, HR and
    /// administrators; of the whole company, HR and administrators.
    Careers,
    /// Anything drawn from review ratings: HR and administrators only,
    /// whatever the subtree.
    Ratings,
}

/// Whether figures drawn from fewer than five people are hidden from
/// `actor` ("fewer than 5"): for everyone but HR and administrators.
pub fn protects_small_groups(actor: Actor) -> bool {
    !actor.is_admin_or_hr()
}

/// Something to be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Hire someone.
    Hire,
    /// Change a person's role along the framework.
    ChangeRole {
        /// Whose role.
        person: PersonId,
    },
    /// Record a correction of a person's role outside the framework.
    RecordCorrection {
        /// Whose role.
        person: PersonId,
    },
    /// Set or clear a person's manager.
    SetManager {
        /// Whose manager.
        person: PersonId,
    },
    /// Record that a person leaves.
    Leave {
        /// Who.
        person: PersonId,
    },
    /// Change a person's name or email.
    UpdatePerson {
        /// Whose details.
        person: PersonId,
    },
    /// Anonymise a person who left.
    Erase {
        /// Who.
        person: PersonId,
    },
    /// Create projects, add members, assign designations, close projects.
    ManageProjects,
    /// Upload a new framework version.
    ChangeFramework,
    /// Import people from CSV, create accounts and administrators.
    Administer,
    /// Draft a promotion proposal for a person.
    ProposePromotion {
        /// Who would be promoted.
        person: PersonId,
    },
    /// Approve or reject a promotion proposal.
    DecidePromotion {
        /// Who would be promoted.
        person: PersonId,
        /// Who drafted the proposal.
        proposer: PersonId,
    },
    /// Set a report's one-on-one schedule.
    ScheduleOneOnOne {
        /// Whose schedule (it belongs to the report).
        report: PersonId,
    },
    /// Take part in a report's one-on-ones: agenda, notes, action items,
    /// marking a meeting held.
    TakePartInOneOnOne {
        /// Whose one-on-ones.
        report: PersonId,
    },
    /// Open or cancel an opening on a manager's team.
    OpenPosition {
        /// Whose team.
        manager: PersonId,
    },
    /// Create, replace or revoke a person's calendar feed link (theirs alone).
    ManageCalendarFeed {
        /// Whose feed.
        person: PersonId,
    },
    /// Post a company update to the whole company, or to the poster's team.
    PostUpdate {
        /// Whole company (HR and administrators) rather than the poster's team.
        company: bool,
    },
    /// Open and close performance review cycles.
    ManageReviewCycles,
    /// Add goals to a person's growth plan and mark them done.
    ManageGoals {
        /// Whose growth plan.
        person: PersonId,
    },
}

/// Whom the account acts as, if it may act at all: `None` for an account
/// whose person left or does not exist.
fn standing(org: &Org, actor: Actor) -> Option<Option<PersonId>> {
    match actor.person {
        None if matches!(actor.kind, ActorKind::Admin | ActorKind::Scim { .. }) => Some(None),
        None => None,
        Some(id) => org.person(id).filter(|p| p.is_active()).map(|p| Some(p.id)),
    }
}

/// May `actor` read `resource`?
pub fn may_view(org: &Org, actor: Actor, resource: &Resource) -> Access {
    let Some(me) = standing(org, actor) else {
        return Access::Forbidden;
    };
    let privileged = actor.is_admin_or_hr();
    match *resource {
        Resource::Framework | Resource::Directory => Access::Allowed,
        Resource::Person(target) => match org.person(target) {
            Some(p) if p.is_active() || privileged => Access::Allowed,
            _ => Access::Hidden,
        },
        Resource::Records(target) => records(org, actor, me, target),
        Resource::Assessment { subject, author } => {
            if me == Some(author) && org.person(subject).is_some() {
                Access::Allowed
            } else {
                records(org, actor, me, subject)
            }
        }
        Resource::PrivateNote { author } => {
            if me == Some(author) {
                Access::Allowed
            } else {
                Access::Hidden
            }
        }
        Resource::Audit | Resource::Calibration { under: None } => {
            if privileged {
                Access::Allowed
            } else {
                Access::Forbidden
            }
        }
        Resource::Calibration { under: Some(boss) } => match org.person(boss) {
            Some(p) if p.is_active() || privileged => {
                // A senior manager calibrates their own subtree or any part of it.
                let in_my_subtree =
                    me.is_some_and(|me| me == boss || org.index().is_below(boss, me));
                if privileged || (in_my_subtree && me.is_some_and(|me| is_senior_manager(org, me)))
                {
                    Access::Allowed
                } else {
                    Access::Forbidden
                }
            }
            _ => Access::Hidden,
        },
        Resource::Insights { under, figures } => insights(org, actor, me, under, figures),
    }
}

/// The insights rules of [`Figures`]: a subtree's figures are its chain's.
fn insights(
    org: &Org,
    actor: Actor,
    me: Option<PersonId>,
    under: Option<PersonId>,
    figures: Figures,
) -> Access {
    let privileged = actor.is_admin_or_hr();
    let allowed = |yes: bool| {
        if yes {
            Access::Allowed
        } else {
            Access::Forbidden
        }
    };
    match (under, figures) {
        (_, Figures::Ratings) => allowed(privileged),
        (None, Figures::Headcount) => Access::Allowed,
        (None, Figures::Careers) => allowed(privileged),
        (Some(root), Figures::Headcount | Figures::Careers) => match org.person(root) {
            Some(p) if p.is_active() || privileged => {
                let in_chain = me.is_some_and(|me| me == root || org.index().is_below(root, me));
                allowed(privileged || in_chain)
            }
            _ => Access::Hidden,
        },
    }
}

/// A senior manager manages managers: at least one of their direct reports
/// has reports of their own. They see the calibration of their subtree.
pub fn is_senior_manager(org: &Org, person: PersonId) -> bool {
    org.index()
        .direct_reports(person)
        .unwrap_or_default()
        .into_iter()
        .any(|report| {
            org.index()
                .direct_reports(report)
                .is_some_and(|r| !r.is_empty())
        })
}

/// A person's own records: theirs, their managers' up the current tree, HR's
/// and administrators'.
fn records(org: &Org, actor: Actor, me: Option<PersonId>, target: PersonId) -> Access {
    let Some(person) = org.person(target) else {
        return Access::Hidden;
    };
    let below_me = me.is_some_and(|me| me == target || org.index().is_below(target, me));
    if actor.is_admin_or_hr() || below_me {
        Access::Allowed
    } else if person.is_active() {
        Access::Forbidden
    } else {
        Access::Hidden
    }
}

/// May `actor` do `action`? Only administrators and HR change roles,
/// managers, people and the framework, and never their own role or manager;
/// only administrators record corrections, erase people and administer;
/// managers (people whose role has reports) also manage projects; a
/// person's direct manager (or HR) may propose their promotion, and the
/// proposer's own manager (or HR) decides it. Nobody proposes their own
/// promotion or decides a proposal about themself or one they drafted.
/// A report's one-on-ones are theirs and their direct manager's: those two
/// take part, the manager (or HR) sets the schedule; managers open
/// positions on their own team and post updates to it, HR and
/// administrators for any team and to the whole company.
pub fn may_do(org: &Org, framework: &Framework, actor: Actor, action: &Action) -> Access {
    let Some(me) = standing(org, actor) else {
        return Access::Forbidden;
    };
    let privileged = actor.is_admin_or_hr();
    let allowed = |yes: bool| {
        if yes {
            Access::Allowed
        } else {
            Access::Forbidden
        }
    };
    match *action {
        // Nobody moves themself: another HR person or an administrator does.
        Action::ChangeRole { person }
        | Action::RecordCorrection { person }
        | Action::SetManager { person }
            if me == Some(person) =>
        {
            Access::Forbidden
        }
        // A SCIM connection provisions people, nothing more.
        Action::Hire
        | Action::ChangeRole { .. }
        | Action::SetManager { .. }
        | Action::Leave { .. }
        | Action::UpdatePerson { .. }
            if actor.scim_connection().is_some() =>
        {
            Access::Allowed
        }
        _ if actor.scim_connection().is_some() => Access::Forbidden,
        Action::Hire
        | Action::ChangeRole { .. }
        | Action::SetManager { .. }
        | Action::Leave { .. }
        | Action::UpdatePerson { .. }
        | Action::ChangeFramework => allowed(privileged),
        Action::RecordCorrection { .. } | Action::Erase { .. } | Action::Administer => {
            allowed(actor.is_admin())
        }
        Action::ManageProjects => allowed(privileged || has_reports_role(org, framework, me)),
        // A proposal is drafted by a person (HR or the manager), never by an
        // administrator's account that is nobody.
        Action::ProposePromotion { person } => allowed(
            me.is_some() && me != Some(person) && (privileged || org.index().manager(person) == me),
        ),
        Action::ManageReviewCycles => allowed(privileged),
        Action::ManageGoals { person } => {
            allowed(me.is_some() && (me == Some(person) || org.index().manager(person) == me))
        }
        // Nobody decides a proposal about themself or one they drafted,
        // HR and administrators included.
        Action::DecidePromotion { person, proposer } => allowed(
            me != Some(proposer)
                && me != Some(person)
                && (privileged || (me.is_some() && org.index().manager(proposer) == me)),
        ),
        Action::ScheduleOneOnOne { report } => {
            allowed(privileged || (me.is_some() && org.index().manager(report) == me))
        }
        Action::TakePartInOneOnOne { report } => {
            allowed(me.is_some() && (me == Some(report) || org.index().manager(report) == me))
        }
        Action::OpenPosition { manager } => allowed(privileged || me == Some(manager)),
        Action::ManageCalendarFeed { person } => allowed(me == Some(person)),
        Action::PostUpdate { company: true } => allowed(privileged),
        Action::PostUpdate { company: false } => allowed(has_reports_role(org, framework, me)),
    }
}

/// Whether `me` is a person whose role allows reports (a manager).
fn has_reports_role(org: &Org, framework: &Framework, me: Option<PersonId>) -> bool {
    me.and_then(|me| org.person(me))
        .and_then(|p| framework.role(p.role.as_str()))
        .is_some_and(|role| role.reports)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::testkit::{Company, day, fw};
    use crate::{Command, PersonId};

    fn view(c: &Company, actor: Actor, resource: Resource) -> Access {
        may_view(&c.org, actor, &resource)
    }

    #[test]
    fn the_directory_and_the_framework_are_public_inside_the_company() {
        let (c, [.., bob]) = Company::small();
        let me = Actor::employee(bob);
        assert_eq!(view(&c, me, Resource::Directory), Access::Allowed);
        assert_eq!(view(&c, me, Resource::Framework), Access::Allowed);
        assert_eq!(view(&c, me, Resource::Person(PersonId(1))), Access::Allowed);
    }

    #[rstest]
    #[case::own_records(5, 5, Access::Allowed)]
    #[case::direct_manager(3, 5, Access::Allowed)]
    #[case::manager_two_levels_up(1, 5, Access::Allowed)]
    #[case::peer(4, 5, Access::Forbidden)]
    #[case::report_looking_up(5, 3, Access::Forbidden)]
    #[case::unknown_person(5, 99, Access::Hidden)]
    fn an_employee_sees_their_own_records_and_those_below_them(
        #[case] actor: i64,
        #[case] target: i64,
        #[case] expected: Access,
    ) {
        let (c, _) = Company::small();
        let got = view(
            &c,
            Actor::employee(PersonId(actor)),
            Resource::Records(PersonId(target)),
        );
        assert_eq!(got, expected);
    }

    #[test]
    fn a_former_manager_loses_sight_of_a_report_moved_elsewhere() {
        let (mut c, [cto, vp, em, _, bob]) = Company::small();
        assert!(view(&c, Actor::employee(em), Resource::Records(bob)).is_allowed());
        c.run(Command::SetManager {
            person: bob,
            manager: Some(cto),
        })
        .expect("moved");
        assert_eq!(
            view(&c, Actor::employee(em), Resource::Records(bob)),
            Access::Forbidden
        );
        assert_eq!(
            view(&c, Actor::employee(vp), Resource::Records(bob)),
            Access::Forbidden
        );
        assert!(view(&c, Actor::employee(cto), Resource::Records(bob)).is_allowed());
    }

    #[test]
    fn hr_and_administrators_see_everything_but_private_notes() {
        let (c, [.., alice, bob]) = Company::small();
        for actor in [Actor::hr(alice), Actor::admin(None)] {
            assert!(view(&c, actor, Resource::Records(bob)).is_allowed());
            assert!(view(&c, actor, Resource::Audit).is_allowed());
            assert_eq!(
                view(&c, actor, Resource::PrivateNote { author: bob }),
                Access::Hidden
            );
        }
        assert_eq!(
            view(&c, Actor::employee(bob), Resource::Audit),
            Access::Forbidden
        );
    }

    #[test]
    fn private_notes_are_their_authors_alone() {
        let (c, [_, _, em, _, bob]) = Company::small();
        assert!(
            view(
                &c,
                Actor::employee(em),
                Resource::PrivateNote { author: em }
            )
            .is_allowed()
        );
        assert_eq!(
            view(
                &c,
                Actor::employee(bob),
                Resource::PrivateNote { author: em }
            ),
            Access::Hidden
        );
    }

    #[test]
    fn the_author_of_an_assessment_keeps_reading_it_after_a_reorganisation() {
        let (mut c, [cto, _, em, _, bob]) = Company::small();
        c.run(Command::SetManager {
            person: bob,
            manager: Some(cto),
        })
        .expect("moved");
        let assessment = Resource::Assessment {
            subject: bob,
            author: em,
        };
        assert!(view(&c, Actor::employee(em), assessment).is_allowed());
        assert_eq!(
            view(&c, Actor::employee(em), Resource::Records(bob)),
            Access::Forbidden
        );
    }

    #[test]
    fn a_person_who_left_loses_access_at_once_and_is_hidden_from_employees() {
        let (mut c, [_, _, em, alice, bob]) = Company::small();
        c.run(Command::Leave {
            person: bob,
            date: day("2025-01-01"),
        })
        .expect("left");
        assert_eq!(
            view(&c, Actor::employee(bob), Resource::Directory),
            Access::Forbidden
        );
        assert_eq!(
            view(&c, Actor::employee(bob), Resource::Records(bob)),
            Access::Forbidden
        );
        assert_eq!(
            view(&c, Actor::employee(alice), Resource::Person(bob)),
            Access::Hidden
        );
        assert_eq!(
            view(&c, Actor::employee(em), Resource::Records(bob)),
            Access::Hidden
        );
        assert!(view(&c, Actor::hr(alice), Resource::Records(bob)).is_allowed());
    }

    #[rstest]
    #[case::hire(Action::Hire)]
    #[case::change_role(Action::ChangeRole { person: PersonId(5) })]
    #[case::set_manager(Action::SetManager { person: PersonId(5) })]
    #[case::leave(Action::Leave { person: PersonId(5) })]
    #[case::framework(Action::ChangeFramework)]
    fn only_admins_and_hr_change_roles_managers_people_and_the_framework(#[case] action: Action) {
        let (c, [cto, _, em, ..]) = Company::small();
        let may = |actor| may_do(&c.org, fw(), actor, &action);
        assert_eq!(may(Actor::employee(em)), Access::Forbidden);
        assert_eq!(may(Actor::employee(cto)), Access::Forbidden);
        assert_eq!(may(Actor::hr(em)), Access::Allowed);
        assert_eq!(may(Actor::admin(None)), Access::Allowed);
    }

    #[rstest]
    #[case::hire(Action::Hire, Access::Allowed)]
    #[case::change_role(Action::ChangeRole { person: PersonId(5) }, Access::Allowed)]
    #[case::set_manager(Action::SetManager { person: PersonId(5) }, Access::Allowed)]
    #[case::leave(Action::Leave { person: PersonId(5) }, Access::Allowed)]
    #[case::update(Action::UpdatePerson { person: PersonId(5) }, Access::Allowed)]
    #[case::correction(Action::RecordCorrection { person: PersonId(5) }, Access::Forbidden)]
    #[case::erase(Action::Erase { person: PersonId(5) }, Access::Forbidden)]
    #[case::framework(Action::ChangeFramework, Access::Forbidden)]
    #[case::administer(Action::Administer, Access::Forbidden)]
    #[case::projects(Action::ManageProjects, Access::Forbidden)]
    #[case::cycles(Action::ManageReviewCycles, Access::Forbidden)]
    fn a_scim_connection_provisions_people_and_does_nothing_else(
        #[case] action: Action,
        #[case] expected: Access,
    ) {
        let (c, _) = Company::small();
        assert_eq!(may_do(&c.org, fw(), Actor::scim(1), &action), expected);
    }

    #[test]
    fn a_manager_may_propose_a_promotion_and_their_manager_decides_it() {
        let (c, [_, vp, em, alice, bob]) = Company::small();
        let may = |actor, action| may_do(&c.org, fw(), actor, &action);
        let propose = Action::ProposePromotion { person: bob };
        assert!(may(Actor::employee(em), propose).is_allowed());
        assert_eq!(may(Actor::employee(alice), propose), Access::Forbidden);
        let decide = Action::DecidePromotion {
            person: bob,
            proposer: em,
        };
        assert!(may(Actor::employee(vp), decide).is_allowed());
        assert_eq!(may(Actor::employee(em), decide), Access::Forbidden);
        assert!(may(Actor::hr(alice), decide).is_allowed());
    }

    #[test]
    fn nobody_promotes_or_moves_themself_hr_and_administrators_included() {
        let (c, [cto, _, em, alice, bob]) = Company::small();
        let may = |actor, action| may_do(&c.org, fw(), actor, &action);
        for actor in [Actor::hr(alice), Actor::admin(Some(alice))] {
            let own = Action::ProposePromotion { person: alice };
            assert_eq!(may(actor, own), Access::Forbidden);
            let about_me = Action::DecidePromotion {
                person: alice,
                proposer: em,
            };
            assert_eq!(may(actor, about_me), Access::Forbidden);
            let drafted_by_me = Action::DecidePromotion {
                person: bob,
                proposer: alice,
            };
            assert_eq!(may(actor, drafted_by_me), Access::Forbidden);
            for action in [
                Action::ChangeRole { person: alice },
                Action::RecordCorrection { person: alice },
                Action::SetManager { person: alice },
            ] {
                assert_eq!(may(actor, action), Access::Forbidden, "{action:?}");
            }
            assert!(may(actor, Action::ProposePromotion { person: bob }).is_allowed());
            assert!(may(actor, Action::ChangeRole { person: bob }).is_allowed());
        }
        assert!(
            may(
                Actor::hr(cto),
                Action::DecidePromotion {
                    person: bob,
                    proposer: alice
                }
            )
            .is_allowed()
        );
        assert!(may(Actor::admin(None), Action::ChangeRole { person: alice }).is_allowed());
    }

    #[test]
    fn one_on_ones_are_the_report_and_their_direct_managers() {
        let (c, [cto, vp, em, alice, bob]) = Company::small();
        let may = |actor, action| may_do(&c.org, fw(), actor, &action);
        let take_part = Action::TakePartInOneOnOne { report: bob };
        assert!(may(Actor::employee(bob), take_part).is_allowed());
        assert!(may(Actor::employee(em), take_part).is_allowed());
        assert_eq!(may(Actor::employee(vp), take_part), Access::Forbidden);
        assert_eq!(may(Actor::hr(alice), take_part), Access::Forbidden);
        let schedule = Action::ScheduleOneOnOne { report: bob };
        assert!(may(Actor::employee(em), schedule).is_allowed());
        assert_eq!(may(Actor::employee(bob), schedule), Access::Forbidden);
        assert!(may(Actor::hr(alice), schedule).is_allowed());
        let open = Action::OpenPosition { manager: em };
        assert!(may(Actor::employee(em), open).is_allowed());
        assert_eq!(may(Actor::employee(cto), open), Access::Forbidden);
        assert!(may(Actor::hr(alice), open).is_allowed());
        let team = Action::PostUpdate { company: false };
        let company = Action::PostUpdate { company: true };
        assert!(may(Actor::employee(em), team).is_allowed());
        assert_eq!(may(Actor::employee(bob), team), Access::Forbidden);
        assert_eq!(may(Actor::employee(em), company), Access::Forbidden);
        assert!(may(Actor::hr(alice), company).is_allowed());
    }

    #[test]
    fn calibration_is_for_hr_and_managers_of_managers() {
        let (c, [cto, vp, em, alice, bob]) = Company::small();
        let company = Resource::Calibration { under: None };
        assert!(view(&c, Actor::hr(alice), company).is_allowed());
        assert_eq!(view(&c, Actor::employee(cto), company), Access::Forbidden);
        assert!(
            view(
                &c,
                Actor::employee(vp),
                Resource::Calibration { under: Some(vp) }
            )
            .is_allowed()
        );
        assert_eq!(
            view(
                &c,
                Actor::employee(em),
                Resource::Calibration { under: Some(em) }
            ),
            Access::Forbidden,
            "an engineering manager manages no managers"
        );
        assert_eq!(
            view(
                &c,
                Actor::employee(vp),
                Resource::Calibration { under: Some(cto) }
            ),
            Access::Forbidden
        );
        assert_eq!(
            view(
                &c,
                Actor::employee(bob),
                Resource::Calibration {
                    under: Some(PersonId(99))
                }
            ),
            Access::Hidden
        );
        // A senior manager calibrates any part of their subtree, not beside it.
        assert!(
            view(
                &c,
                Actor::employee(cto),
                Resource::Calibration { under: Some(em) }
            )
            .is_allowed()
        );
        assert_eq!(
            view(
                &c,
                Actor::employee(vp),
                Resource::Calibration { under: Some(cto) }
            ),
            Access::Forbidden,
            "above oneself is beside one's subtree"
        );
    }

    fn insights(under: Option<PersonId>, figures: Figures) -> Resource {
        Resource::Insights { under, figures }
    }

    #[test]
    fn the_whole_company_pyramid_is_for_everyone_signed_in() {
        let (c, [cto, _, em, alice, bob]) = Company::small();
        let pyramid = insights(None, Figures::Headcount);
        for actor in [
            Actor::employee(bob),
            Actor::employee(em),
            Actor::employee(cto),
            Actor::hr(alice),
            Actor::admin(None),
        ] {
            assert!(view(&c, actor, pyramid).is_allowed(), "{actor:?}");
        }
        let nobody = Actor {
            person: None,
            kind: ActorKind::Employee,
        };
        assert_eq!(view(&c, nobody, pyramid), Access::Forbidden);
    }

    #[rstest]
    #[case::the_root_themself(3, Access::Allowed)]
    #[case::the_roots_manager(2, Access::Allowed)]
    #[case::two_levels_up(1, Access::Allowed)]
    #[case::a_report_of_the_root(5, Access::Forbidden)]
    #[case::another_report_of_the_root(4, Access::Forbidden)]
    fn a_subtrees_figures_are_for_its_root_and_their_managers_up(
        #[case] actor: i64,
        #[case] expected: Access,
    ) {
        let (c, [_, _, em, ..]) = Company::small();
        for figures in [Figures::Headcount, Figures::Careers] {
            let got = view(
                &c,
                Actor::employee(PersonId(actor)),
                insights(Some(em), figures),
            );
            assert_eq!(got, expected, "{figures:?}");
        }
    }

    #[test]
    fn hr_and_administrators_see_every_subtree_and_the_whole_company() {
        let (c, [_, _, em, alice, bob]) = Company::small();
        for actor in [Actor::hr(alice), Actor::admin(None)] {
            for under in [None, Some(em), Some(bob)] {
                for figures in [Figures::Headcount, Figures::Careers, Figures::Ratings] {
                    assert!(view(&c, actor, insights(under, figures)).is_allowed());
                }
            }
            assert!(!protects_small_groups(actor), "{actor:?}");
        }
    }

    #[test]
    fn company_wide_careers_and_any_rating_figures_are_for_hr_and_administrators() {
        let (c, [cto, _, em, ..]) = Company::small();
        for actor in [Actor::employee(cto), Actor::employee(em)] {
            assert_eq!(
                view(&c, actor, insights(None, Figures::Careers)),
                Access::Forbidden
            );
            assert_eq!(
                view(&c, actor, insights(Some(em), Figures::Ratings)),
                Access::Forbidden
            );
            assert!(protects_small_groups(actor));
        }
    }

    #[test]
    fn a_subtree_under_nobody_or_under_a_leaver_is_hidden_from_employees() {
        let (mut c, [cto, _, _, alice, bob]) = Company::small();
        c.run(Command::Leave {
            person: bob,
            date: day("2025-01-01"),
        })
        .expect("left");
        let careers = |under| insights(Some(under), Figures::Careers);
        assert_eq!(view(&c, Actor::employee(cto), careers(bob)), Access::Hidden);
        assert_eq!(
            view(&c, Actor::employee(cto), careers(PersonId(99))),
            Access::Hidden
        );
        assert!(view(&c, Actor::hr(alice), careers(bob)).is_allowed());
    }

    #[test]
    fn an_administrator_who_is_nobody_drafts_no_proposal() {
        let (c, [_, _, _, _, bob]) = Company::small();
        let propose = Action::ProposePromotion { person: bob };
        assert_eq!(
            may_do(&c.org, fw(), Actor::admin(None), &propose),
            Access::Forbidden
        );
    }

    #[test]
    fn the_person_and_their_manager_manage_the_growth_plan_goals() {
        let (c, [_, vp, em, alice, bob]) = Company::small();
        let may = |actor| may_do(&c.org, fw(), actor, &Action::ManageGoals { person: bob });
        assert!(may(Actor::employee(bob)).is_allowed());
        assert!(may(Actor::employee(em)).is_allowed());
        assert_eq!(may(Actor::employee(vp)), Access::Forbidden);
        assert_eq!(may(Actor::employee(alice)), Access::Forbidden);
        assert_eq!(
            may_do(
                &c.org,
                fw(),
                Actor::employee(em),
                &Action::ManageReviewCycles
            ),
            Access::Forbidden
        );
        assert!(may_do(&c.org, fw(), Actor::hr(alice), &Action::ManageReviewCycles).is_allowed());
    }

    #[test]
    fn an_account_without_a_person_is_nobody_unless_it_is_an_administrator() {
        let (c, _) = Company::small();
        let anonymous = Actor {
            person: None,
            kind: ActorKind::Employee,
        };
        assert_eq!(view(&c, anonymous, Resource::Directory), Access::Forbidden);
        assert!(may_do(&c.org, fw(), Actor::admin(None), &Action::Administer).is_allowed());
        assert_eq!(
            may_do(&c.org, fw(), Actor::hr(PersonId(1)), &Action::Administer),
            Access::Forbidden
        );
    }
}

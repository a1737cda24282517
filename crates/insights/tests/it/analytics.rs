//! The analytics against a six-person company worked out by hand.

use climb_framework::StreamId;
use climb_insights::analytics::{Figure, Period, Population, Privacy, Scope};
use climb_insights::{DEFAULT_SPAN_THRESHOLD, InsightsError, flow, pyramid, span, time_in_role};
use climb_people::{Org, PersonId};
use serde_json::json;

use crate::support::{Company, day, three_roles};

/// Everyone starts on 2020-01-01 (day 0); the days below count from it.
///
/// - Mo (1): manager, at the top.
/// - Al (2): engineer under Mo, promoted to senior on day 100 (2020-04-10).
/// - Bea (3): engineer under Mo, leaves on day 200 (2020-07-19).
/// - Cai (4): engineer under Mo, promoted to senior on day 300 (2020-10-27).
/// - Dev (5): engineer under Mo, still an engineer; moved under Eli.
/// - Eli (6): engineer under Mo, corrected to manager on day 150 (2020-05-30).
///
/// Engineer spells on day 400 (2021-02-04): promoted at 100 and 300,
/// censored at 150 (correction), 200 (leaving) and 400 (still in role).
/// Kaplan–Meier: S(100) = 4/5, S(300) = 4/5 × 1/2 = 2/5; p25 and the
/// median are 300, p75 is never reached. The completed spells alone would
/// give a median of 200.
fn six_people() -> (Org, [PersonId; 6]) {
    let framework = three_roles();
    let mut c = Company::new(&framework);
    let mo = c.hire("Mo", "manager", "2020-01-01");
    let al = c.hire("Al", "engineer", "2020-01-01");
    let bea = c.hire("Bea", "engineer", "2020-01-01");
    let cai = c.hire("Cai", "engineer", "2020-01-01");
    let dev = c.hire("Dev", "engineer", "2020-01-01");
    let eli = c.hire("Eli", "engineer", "2020-01-01");
    for person in [al, bea, cai, dev, eli] {
        c.set_manager(person, mo);
    }
    c.change_role(al, "senior", "2020-04-10");
    c.correct_role(eli, "manager", "2020-05-30");
    c.leave(bea, "2020-07-19");
    c.change_role(cai, "senior", "2020-10-27");
    c.set_manager(dev, eli);
    (c.org, [mo, al, bea, cai, dev, eli])
}

fn scope(under: Option<PersonId>, as_of: &str) -> Scope {
    Scope {
        under,
        stream: None,
        as_of: day(as_of),
    }
}

#[test]
fn the_pyramid_counts_roles_held_on_the_day() {
    let framework = three_roles();
    let (org, [mo, ..]) = six_people();
    let population =
        Population::new(&framework, &org, scope(Some(mo), "2021-02-04")).expect("scope");
    let now = pyramid(&population);
    let cells = |p: &climb_insights::Pyramid| -> Vec<(String, u64)> {
        p.streams
            .iter()
            .flat_map(|s| s.roles.iter().map(|c| (c.role.to_string(), c.headcount)))
            .collect()
    };
    assert_eq!(
        cells(&now),
        [("engineer", 1), ("senior", 2), ("manager", 2)].map(|(r, n)| (r.to_owned(), n))
    );
    assert_eq!(now.headcount, 5);
    // Before anyone moved: six engineers... and Mo.
    let then = Population::new(&framework, &org, scope(None, "2020-02-01")).expect("scope");
    assert_eq!(
        cells(&pyramid(&then)),
        [("engineer", 5), ("senior", 0), ("manager", 1)].map(|(r, n)| (r.to_owned(), n))
    );
    let engineering = Scope {
        stream: Some(StreamId::parse("engineering").expect("id")),
        ..scope(None, "2021-02-04")
    };
    let population = Population::new(&framework, &org, engineering).expect("scope");
    let only = pyramid(&population);
    assert_eq!(only.streams.len(), 1);
    assert_eq!(only.headcount, 3);
}

#[test]
fn time_in_role_reads_the_kaplan_meier_curve_with_censoring() {
    let framework = three_roles();
    let (org, _) = six_people();
    let population = Population::new(&framework, &org, scope(None, "2021-02-04")).expect("scope");
    let full = time_in_role(&population, Privacy::Full);
    let engineer = &full.roles[0];
    assert_eq!(engineer.role.as_str(), "engineer");
    assert_eq!(
        (
            engineer.people,
            engineer.spells,
            engineer.promotions,
            engineer.censored,
            engineer.censored_by_leaving
        ),
        (5, 5, 2, 3, 1)
    );
    assert_eq!(
        serde_json::to_value(engineer.quantiles).expect("json"),
        json!({"p25_days": 300, "median_days": 300, "p75_days": null})
    );
    assert_eq!(
        serde_json::to_value(engineer.current).expect("json"),
        json!({"n": 1, "median_days": 400.0, "max_days": 400})
    );
    // Seen from an earlier day, Cai's promotion is still ahead.
    let earlier = Population::new(&framework, &org, scope(None, "2020-10-01")).expect("scope");
    let then = time_in_role(&earlier, Privacy::Full);
    assert_eq!(then.roles[0].promotions, 1);

    let protected = time_in_role(&population, Privacy::Protected);
    assert_eq!(
        protected.roles[0].quantiles, full.roles[0].quantiles,
        "five people are shown"
    );
    assert!(
        protected.roles[0].current.is_suppressed(),
        "one person still in the role"
    );
    assert!(protected.roles[1].quantiles.is_suppressed(), "two seniors");
}

#[test]
fn the_flow_counts_arrows_unused_arrows_corrections_and_yearly_rates() {
    let framework = three_roles();
    let (org, [mo, ..]) = six_people();
    let period = Period::new(day("2020-01-01"), day("2021-01-01")).expect("period");
    let population = Population::new(
        &framework,
        &org,
        scope(Some(mo), &period.last_day().to_string()),
    )
    .expect("scope");
    let full = flow(&population, period, Privacy::Full);
    let arrows: Vec<(String, String, u64)> = full
        .arrows
        .iter()
        .map(|a| (a.from.to_string(), a.to.to_string(), a.moves))
        .collect();
    assert_eq!(
        arrows,
        vec![
            ("engineer".to_owned(), "senior".to_owned(), 2),
            ("senior".to_owned(), "manager".to_owned(), 0)
        ]
    );
    assert_eq!(full.unused.len(), 1);
    assert_eq!(
        serde_json::to_value(&full.off_graph).expect("json"),
        json!([{"from": "engineer", "to": "manager", "moves": 1, "corrections": 1}])
    );
    let engineer = &full.rates[0];
    assert_eq!(
        (engineer.role.as_str(), engineer.year, engineer.held),
        ("engineer", 2020, 5)
    );
    assert_eq!(
        serde_json::to_value(engineer).expect("json")["promotion"],
        json!({"events": 2, "rate": 0.4})
    );
    assert_eq!(
        serde_json::to_value(engineer).expect("json")["leaving"],
        json!({"events": 1, "rate": 0.2})
    );
    let protected = flow(&population, period, Privacy::Protected);
    assert!(!protected.rates[0].promotion.is_suppressed());
    let senior = &protected.rates[1];
    assert_eq!((senior.role.as_str(), senior.held), ("senior", 2));
    assert_eq!(
        serde_json::to_value(senior.promotion).expect("json"),
        json!({"suppressed": "fewer than 5"})
    );
}

#[test]
fn span_of_control_counts_reports_layers_and_lone_reports() {
    let framework = three_roles();
    let (org, [mo, _, _, _, _, eli]) = six_people();
    let population =
        Population::new(&framework, &org, scope(Some(mo), "2021-02-04")).expect("scope");
    let full = span(&population, DEFAULT_SPAN_THRESHOLD, Privacy::Full);
    assert_eq!(
        (full.people, full.managers, full.ics, full.layers),
        (5, 2, 3, 3)
    );
    assert_eq!(full.ics_per_manager, Figure::Shown(Some(1.5)));
    assert_eq!(
        serde_json::to_value(&full.distribution).expect("json"),
        json!([{"reports": 1, "managers": 1}, {"reports": 3, "managers": 1}])
    );
    assert_eq!(
        full.one_report.iter().map(|s| s.person).collect::<Vec<_>>(),
        vec![eli]
    );
    assert!(full.over_threshold.is_empty());
    let tight = span(&population, 2, Privacy::Protected);
    assert_eq!(
        tight
            .over_threshold
            .iter()
            .map(|s| (s.person, s.reports))
            .collect::<Vec<_>>(),
        vec![(mo, 3)]
    );
    assert!(tight.distribution.is_suppressed(), "two managers");
    let below_eli =
        Population::new(&framework, &org, scope(Some(eli), "2021-02-04")).expect("scope");
    let small = span(&below_eli, 8, Privacy::Full);
    assert_eq!((small.people, small.managers, small.layers), (2, 1, 2));
}

#[test]
fn an_unknown_root_or_stream_is_refused() {
    let framework = three_roles();
    let (org, _) = six_people();
    assert_eq!(
        Population::new(&framework, &org, scope(Some(PersonId(99)), "2021-01-01")).map(|_| ()),
        Err(InsightsError::UnknownPerson(99))
    );
    let nowhere = Scope {
        stream: Some(StreamId::parse("sales").expect("id")),
        ..scope(None, "2021-01-01")
    };
    assert_eq!(
        Population::new(&framework, &org, nowhere).map(|_| ()),
        Err(InsightsError::UnknownStream("sales".to_owned()))
    );
}

mod habits {
    //! Manager habits over the 30 days 2021-01-06 to 2021-02-04, on the
    //! six-person company: on that day Mo manages Al, Cai and Eli, and Eli
    //! manages Dev.
    //!
    //! - Al meets weekly from 2021-01-04, held on Jan 4, 11 and 18, then
    //!   not again: on cadence Jan 6 to 25, 20 of the 30 days.
    //! - Cai meets fortnightly, held on Jan 1, 15 and 29: all 30 days.
    //! - Eli has no schedule: none of the 30 days.
    //! - Dev meets monthly from 2021-01-20 and has not met yet: before the
    //!   first day nothing is late, and Feb 4 is within 31 days of it: 30.
    //!
    //! Mo: 50 of 90 report-days; Eli: 30 of 30; together 80 of 120.

    use std::collections::{BTreeMap, HashMap};

    use climb_insights::analytics::{Figure, HabitRecords, Period, Population, Privacy};
    use climb_insights::habits;
    use climb_management::one_on_one::Cadence;
    use climb_management::promotion::{Proposal, ProposalId, ProposalStatus};
    use climb_management::review::{
        Assessment, Cycle, CycleId, CycleStatus, Review, ReviewId, Scope as CycleScope, Signatures,
    };
    use climb_people::PersonId;

    use super::{scope, six_people};
    use crate::support::{day, role, three_roles};

    fn review(id: i64, person: PersonId, own: bool, manager: bool) -> Review {
        let side = |signed: bool| Assessment {
            signed_on: signed.then(|| day("2021-01-20")),
            ..Assessment::default()
        };
        Review {
            id: ReviewId(id),
            cycle: CycleId(7),
            person,
            role: role("engineer"),
            expected: BTreeMap::new(),
            own: side(own),
            manager: side(manager),
            rating: None,
        }
    }

    fn proposal(
        id: i64,
        proposer: PersonId,
        drafted: &str,
        decided: Option<(PersonId, &str)>,
    ) -> Proposal {
        Proposal {
            id: ProposalId(id),
            person: proposer,
            proposer,
            from_role: role("engineer"),
            to_role: role("senior"),
            evidence: BTreeMap::new(),
            status: if decided.is_some() {
                ProposalStatus::Approved
            } else {
                ProposalStatus::Pending
            },
            created_on: day(drafted),
            decided_by: decided.map(|(who, _)| who),
            decided_on: decided.map(|(_, on)| day(on)),
            comment: None,
        }
    }

    #[test]
    fn cadence_reviews_and_decisions_are_counted_per_manager_and_hidden_below_five() {
        let framework = three_roles();
        let (org, [mo, al, _bea, cai, dev, eli]) = six_people();
        let population =
            Population::new(&framework, &org, scope(Some(mo), "2021-02-04")).expect("scope");
        let period = Period::new(day("2021-01-06"), day("2021-02-05")).expect("period");
        let schedules: HashMap<PersonId, (Cadence, chrono::NaiveDate)> = [
            (al, (Cadence::Weekly, day("2021-01-04"))),
            (cai, (Cadence::Fortnightly, day("2020-12-01"))),
            (dev, (Cadence::Monthly, day("2021-01-20"))),
        ]
        .into_iter()
        .collect();
        let held: HashMap<PersonId, Vec<chrono::NaiveDate>> = [
            (
                al,
                vec![day("2021-01-18"), day("2021-01-04"), day("2021-01-11")],
            ),
            (
                cai,
                vec![day("2021-01-01"), day("2021-01-15"), day("2021-01-29")],
            ),
        ]
        .into_iter()
        .collect();
        let cycle = Cycle {
            id: CycleId(7),
            name: "2021 H1".to_owned(),
            period_start: day("2020-07-01"),
            period_end: day("2020-12-31"),
            scope: CycleScope::Everyone,
            status: CycleStatus::Open,
            opened_on: day("2021-01-04"),
            closed_on: None,
            hold_until_released: false,
            released_on: None,
        };
        let reviews = [
            review(1, al, true, true),
            review(2, cai, true, false),
            review(3, eli, false, false),
            review(4, dev, true, true),
        ];
        let proposals = [
            // Eli's proposals wait on Mo, Eli's manager.
            proposal(1, eli, "2021-01-10", Some((mo, "2021-01-20"))),
            proposal(2, eli, "2021-01-25", None),
            // Decided before the period: not counted.
            proposal(3, eli, "2020-11-01", Some((mo, "2020-12-01"))),
        ];
        let signatures: Vec<Signatures> = reviews.iter().map(Signatures::of).collect();
        let records = HabitRecords {
            schedules: &schedules,
            held: &held,
            cycle: Some((&cycle, &signatures)),
            proposals: &proposals,
        };

        let full = habits(&population, period, records, Privacy::Full);
        let people: Vec<(PersonId, u32)> = full
            .managers
            .iter()
            .map(|m| (m.person, m.reports))
            .collect();
        assert_eq!(people, vec![(mo, 3), (eli, 1)]);
        let of_mo = &full.managers[0];
        assert_eq!(of_mo.one_on_ones.without_schedule, 1);
        assert_eq!(of_mo.one_on_ones.kept, Figure::Shown(Some(50.0 / 90.0)));
        let reviews_of_mo = of_mo.reviews.as_ref().expect("a cycle");
        assert_eq!(
            (
                reviews_of_mo.reviews,
                reviews_of_mo.self_signed,
                reviews_of_mo.manager_signed,
                reviews_of_mo.signed
            ),
            (3, 2, 1, 1)
        );
        assert_eq!(reviews_of_mo.completion, Figure::Shown(Some(1.0 / 3.0)));
        assert_eq!(of_mo.decisions.decided, 1);
        assert_eq!(of_mo.decisions.median_days, Figure::Shown(Some(10.0)));
        assert_eq!(of_mo.decisions.pending, 1);
        assert_eq!(of_mo.decisions.oldest_pending_days, Some(10));
        let of_eli = &full.managers[1];
        assert_eq!(of_eli.one_on_ones.kept, Figure::Shown(Some(1.0)));
        assert_eq!(of_eli.decisions.pending, 0);
        assert_eq!(full.overall.managers, 2);
        assert_eq!(
            full.overall.one_on_ones.kept,
            Figure::Shown(Some(80.0 / 120.0))
        );
        assert_eq!(full.cycle.as_ref().map(|c| c.id), Some(7));

        // Three reports, one review, one decision: all below five people.
        let protected = habits(&population, period, records, Privacy::Protected);
        let of_mo = &protected.managers[0];
        assert!(of_mo.one_on_ones.kept.is_suppressed());
        assert!(
            of_mo
                .reviews
                .as_ref()
                .is_some_and(|r| r.completion.is_suppressed())
        );
        assert!(of_mo.decisions.median_days.is_suppressed());
        assert_eq!(of_mo.decisions.pending, 1, "counts are not rates");
        let csv = protected.to_csv();
        assert!(
            csv.lines()
                .nth(1)
                .is_some_and(|row| row.starts_with(&format!(
                    "{},3,1,fewer than 5,3,2,1,1,fewer than 5,1,fewer than 5,1,10",
                    mo.0
                ))),
            "{csv}"
        );
    }
}

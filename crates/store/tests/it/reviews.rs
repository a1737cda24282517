//! Review cycles, goals and promotion proposals, persisted: the full cycle,
//! read-only signed reviews, and a proposal's approval changing the role in
//! the same transaction, with the proposal linked in the history.

use std::collections::BTreeMap;

use climb_framework::CompetencyId;
use climb_management::growth::NewGoal;
use climb_management::promotion::ProposalStatus;
use climb_management::review::{Edit, NewCycle, Rated, Rating, Scope, Signatures};
use climb_people::{Actor, ChangeReason, PersonId};
use climb_store::{Decision, Store};
use sqlx::Connection;

use crate::harness::{admin, both_backends, code, day, fw, hire, role};

/// cto <- vp <- em <- bob (software engineer), alice (senior engineer).
async fn company(store: &Store) -> [PersonId; 5] {
    let cto = hire(store, "Cleo", "cto", None).await;
    let vp = hire(store, "Victor", "vp-engineering", Some(cto)).await;
    let em = hire(store, "Emma", "engineering-manager", Some(vp)).await;
    let bob = hire(store, "Bob", "software-engineer", Some(em)).await;
    let alice = hire(store, "Alice", "senior-software-engineer", Some(em)).await;
    [cto, vp, em, bob, alice]
}

fn cycle(scope: Scope) -> NewCycle {
    NewCycle {
        name: "2026 H1".to_owned(),
        period_start: day(2026, 1, 1),
        period_end: day(2026, 6, 30),
        scope,
        hold_until_released: false,
    }
}

/// Every competency the role expects at `level`, with evidence.
fn levels(role_id: &str, below: u32) -> Edit {
    let levels = fw()
        .role(role_id)
        .expect("role")
        .expectations
        .iter()
        .map(|e| {
            (
                e.competency.clone(),
                Rated {
                    level: e.level.saturating_sub(below).max(1),
                    evidence: format!("seen in {}", e.competency),
                },
            )
        })
        .collect();
    Edit::Assess(levels)
}

both_backends! {
    async fn a_review_completed_and_signed_by_both_is_read_only_and_feeds_the_growth_plan(db) {
        let store = db.open().await;
        let [_, vp, em, bob, _] = company(&store).await;
        let (opened, count) = store
            .open_review_cycle(fw(), admin(), cycle(Scope::Below { manager: em }))
            .await
            .expect("opened");
        assert_eq!(count, 2);
        let reviews = store.cycle_reviews(opened.id).await.expect("reviews");
        let review = reviews.iter().find(|r| r.person == bob).expect("bob's review").id;

        let me = Actor::employee(bob);
        let manager = Actor::employee(em);
        store.edit_review(fw(), me, review, levels("software-engineer", 0)).await.expect("self");
        assert_eq!(
            code(store.edit_review(fw(), me, review, Edit::Rate(Rating::Outstanding)).await),
            "rating_by_manager"
        );
        assert_eq!(
            code(store.edit_review(fw(), Actor::employee(vp), review, Edit::Sign).await),
            "not_your_review"
        );
        assert_eq!(code(store.edit_review(fw(), manager, review, Edit::Sign).await), "incomplete_assessment");
        store.edit_review(fw(), manager, review, levels("software-engineer", 1)).await.expect("manager");
        store.edit_review(fw(), manager, review, Edit::Rate(Rating::MeetsExpectations)).await.expect("rated");
        store.edit_review(fw(), me, review, Edit::Sign).await.expect("self signs");
        let signed = store.edit_review(fw(), manager, review, Edit::Sign).await.expect("manager signs");
        assert!(signed.is_signed());

        for (actor, edit) in [
            (manager, Edit::Rate(Rating::Outstanding)),
            (me, levels("software-engineer", 0)),
            (manager, Edit::Sign),
        ] {
            assert_eq!(code(store.edit_review(fw(), actor, review, edit).await), "review_signed");
        }
        drop(store);
        let store = db.open().await;
        let (stored, _) = store.review(review).await.expect("reads").expect("exists");
        assert_eq!(stored, signed, "a refused edit wrote nothing");

        let plan = store.growth_plan(fw(), bob).await.expect("plan").expect("bob");
        assert_eq!(plan.based_on, Some(review));
        let senior = plan.steps.iter().find(|s| s.to.as_str() == "senior-software-engineer").expect("step");
        assert!(senior.gaps.iter().all(|g| g.gap.is_some_and(|n| n >= 1)));
        assert!(!senior.gaps.is_empty());

        let audit = store.audit(Some(bob), 50, None).await.expect("audit");
        let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions.iter().filter(|a| **a == "review.signed").count(), 2);
        let cycle_events = store.audit(None, 100, None).await.expect("audit");
        assert!(cycle_events.iter().any(|e| e.action == "review_cycle.opened"));
    }
}

both_backends! {
    async fn cycle_progress_counts_reviews_signed_by_both_and_a_team_sees_only_open_cycles(db) {
        let store = db.open().await;
        let [_, _, em, bob, alice] = company(&store).await;
        let (first, _) = store
            .open_review_cycle(fw(), admin(), cycle(Scope::Below { manager: em }))
            .await
            .expect("opened");
        let review = store.cycle_reviews(first.id).await.expect("reviews")
            .into_iter().find(|r| r.person == bob).expect("bob").id;
        let (me, manager) = (Actor::employee(bob), Actor::employee(em));
        // Evidence that quotes the marker must not count as signed.
        let tricky = Edit::Assess(
            fw().role("software-engineer").expect("role").expectations.iter()
                .map(|e| (e.competency.clone(), Rated { level: 1, evidence: r#"said "signed_on":null"#.to_owned() }))
                .collect(),
        );
        store.edit_review(fw(), me, review, tricky).await.expect("self");
        store.edit_review(fw(), me, review, Edit::Sign).await.expect("self signs");
        assert_eq!(store.cycle_progress().await.expect("progress"), vec![(first.id, 2, 0)]);
        store.edit_review_all(fw(), manager, review, vec![levels("software-engineer", 0), Edit::Rate(Rating::MeetsExpectations)])
            .await.expect("manager");
        store.edit_review(fw(), manager, review, Edit::Sign).await.expect("manager signs");
        assert_eq!(store.cycle_progress().await.expect("progress"), vec![(first.id, 2, 1)]);

        let team = store.open_reviews_of(&[bob, alice]).await.expect("team");
        assert_eq!(team.len(), 2);
        store.close_review_cycle(fw(), admin(), first.id).await.expect("closed");
        let (second, _) = store
            .open_review_cycle(fw(), admin(), cycle(Scope::Everyone))
            .await
            .expect("opened");
        let team = store.open_reviews_of(&[bob, alice]).await.expect("team");
        assert_eq!(team.len(), 2, "the closed cycle's reviews are left out");
        assert!(team.iter().all(|(r, c)| c.id == second.id && (r.person == bob || r.person == alice)));
        assert!(store.open_reviews_of(&[]).await.expect("nobody").is_empty());
    }
}

both_backends! {
    async fn a_closed_cycle_refuses_every_edit_and_only_hr_opens_and_closes(db) {
        let store = db.open().await;
        let [_, _, em, bob, alice] = company(&store).await;
        assert_eq!(
            code(store.open_review_cycle(fw(), Actor::employee(em), cycle(Scope::Everyone)).await),
            "forbidden"
        );
        let (opened, count) = store
            .open_review_cycle(fw(), Actor::hr(alice), cycle(Scope::Everyone))
            .await
            .expect("opened by HR");
        assert_eq!(count, 5);
        let review = store.cycle_reviews(opened.id).await.expect("reviews")
            .into_iter().find(|r| r.person == bob).expect("bob").id;
        let closed = store.close_review_cycle(fw(), admin(), opened.id).await.expect("closed");
        assert!(!closed.is_open());
        assert_eq!(
            code(store.edit_review(fw(), Actor::employee(bob), review, levels("software-engineer", 0)).await),
            "cycle_closed"
        );
        assert_eq!(code(store.close_review_cycle(fw(), admin(), opened.id).await), "cycle_already_closed");
        assert_eq!(
            code(store.open_review_cycle(fw(), admin(), cycle(Scope::Stream {
                stream: climb_framework::StreamId::parse("nope").expect("id"),
            })).await),
            "unknown_stream"
        );
    }
}

fn evidence(role_id: &str) -> BTreeMap<CompetencyId, String> {
    fw().role(role_id)
        .expect("role")
        .expectations
        .iter()
        .map(|e| {
            (
                e.competency.clone(),
                format!("led work showing {}", e.competency),
            )
        })
        .collect()
}

both_backends! {
    async fn an_approved_proposal_changes_the_role_with_the_proposal_in_the_history(db) {
        let store = db.open().await;
        let [_, vp, em, bob, alice] = company(&store).await;
        let target = role("senior-software-engineer");
        assert_eq!(
            code(store.draft_proposal(fw(), Actor::employee(em), bob, role("principal-software-engineer"), evidence("principal-software-engineer")).await),
            "no_such_transition"
        );
        assert_eq!(
            code(store.draft_proposal(fw(), Actor::employee(vp), bob, target.clone(), evidence("senior-software-engineer")).await),
            "forbidden",
            "only the direct manager (or HR) proposes"
        );
        assert_eq!(
            code(store.draft_proposal(fw(), Actor::employee(em), bob, target.clone(), BTreeMap::new()).await),
            "missing_evidence"
        );
        let proposal = store
            .draft_proposal(fw(), Actor::employee(em), bob, target.clone(), evidence("senior-software-engineer"))
            .await
            .expect("drafted");
        let approve = Decision::Approve { comment: Some("ready".to_owned()), effective_date: day(2026, 7, 1) };
        assert_eq!(code(store.decide_proposal(fw(), Actor::employee(em), proposal.id, approve.clone()).await), "forbidden");
        assert_eq!(code(store.decide_proposal(fw(), Actor::employee(alice), proposal.id, approve.clone()).await), "forbidden");
        let approved = store.decide_proposal(fw(), Actor::employee(vp), proposal.id, approve.clone()).await.expect("approved");
        assert_eq!(approved.status, ProposalStatus::Approved);
        assert_eq!(approved.decided_by, Some(vp));
        assert_eq!(store.person(bob).await.expect("reads").expect("bob").role, target);
        assert_eq!(code(store.decide_proposal(fw(), Actor::employee(vp), proposal.id, approve).await), "proposal_decided");

        drop(store);
        let store = db.open().await;
        let history = store.history(bob).await.expect("history");
        let last = history.last().expect("entry");
        assert_eq!(last.reason, ChangeReason::Promotion);
        assert_eq!(last.proposal, Some(proposal.id.0));
        assert_eq!(store.proposal(proposal.id).await.expect("reads"), Some(approved));
        let actions: Vec<String> = store.audit(Some(bob), 50, None).await.expect("audit")
            .into_iter().map(|e| e.action).collect();
        assert!(actions.contains(&"person.role_changed".to_owned()));
        assert!(actions.contains(&"promotion.approved".to_owned()));
    }
}

both_backends! {
    async fn a_rejected_proposal_needs_a_comment_and_changes_nothing(db) {
        let store = db.open().await;
        let [_, _, em, bob, alice] = company(&store).await;
        let proposal = store
            .draft_proposal(fw(), Actor::employee(em), bob, role("senior-software-engineer"), evidence("senior-software-engineer"))
            .await
            .expect("drafted");
        let hr = Actor::hr(alice);
        assert_eq!(
            code(store.decide_proposal(fw(), hr, proposal.id, Decision::Reject { comment: " ".to_owned() }).await),
            "comment_required"
        );
        let rejected = store
            .decide_proposal(fw(), hr, proposal.id, Decision::Reject { comment: "next cycle".to_owned() })
            .await
            .expect("rejected");
        assert_eq!(rejected.status, ProposalStatus::Rejected);
        assert_eq!(store.person(bob).await.expect("reads").expect("bob").role.as_str(), "software-engineer");
        assert_eq!(store.person_proposals(bob).await.expect("reads"), vec![rejected]);
    }
}

both_backends! {
    async fn the_person_and_their_manager_add_goals_and_mark_them_done(db) {
        let store = db.open().await;
        let [_, vp, em, bob, _] = company(&store).await;
        let goal = NewGoal {
            text: "Run the next incident review".to_owned(),
            competency: Some(CompetencyId::parse("leadership").expect("id")),
            target_date: Some(day(2026, 9, 30)),
        };
        let added = store.add_goal(fw(), Actor::employee(bob), bob, goal.clone()).await.expect("added");
        assert_eq!(code(store.add_goal(fw(), Actor::employee(vp), bob, goal).await), "forbidden");
        assert_eq!(code(store.complete_goal(fw(), Actor::employee(vp), bob, added.id).await), "forbidden");
        let done = store.complete_goal(fw(), Actor::employee(em), bob, added.id).await.expect("done");
        assert!(done.done_on.is_some());
        assert_eq!(code(store.complete_goal(fw(), Actor::employee(bob), bob, added.id).await), "goal_done");
        assert_eq!(store.goals(bob).await.expect("goals"), vec![done]);
    }
}

both_backends! {
    async fn proposals_are_listed_by_proposer_and_pending_ones_by_their_proposers(db) {
        let store = db.open().await;
        let [cto, vp, em, bob, alice] = company(&store).await;
        let em2 = hire(&store, "Eli", "engineering-manager", Some(vp)).await;
        let carol = hire(&store, "Carol", "software-engineer", Some(em2)).await;
        let for_bob = store
            .draft_proposal(fw(), Actor::employee(em), bob, role("senior-software-engineer"), evidence("senior-software-engineer"))
            .await
            .expect("drafted");
        let for_alice = store
            .draft_proposal(fw(), Actor::employee(em), alice, role("staff-engineer"), evidence("staff-engineer"))
            .await
            .expect("drafted");
        let for_carol = store
            .draft_proposal(fw(), Actor::employee(em2), carol, role("senior-software-engineer"), evidence("senior-software-engineer"))
            .await
            .expect("drafted");
        let ids = |list: Vec<climb_management::promotion::Proposal>| list.into_iter().map(|p| p.id).collect::<Vec<_>>();

        assert_eq!(ids(store.drafted_proposals(em, 50).await.expect("reads")), vec![for_alice.id, for_bob.id]);
        assert_eq!(ids(store.drafted_proposals(em, 1).await.expect("reads")), vec![for_alice.id]);
        assert_eq!(ids(store.drafted_proposals(vp, 50).await.expect("reads")), vec![]);

        // The VP decides what their two managers drafted; a decided one leaves the list.
        assert_eq!(
            ids(store.pending_proposals_by(&[em2, em]).await.expect("reads")),
            vec![for_bob.id, for_alice.id, for_carol.id]
        );
        store
            .decide_proposal(fw(), Actor::employee(vp), for_alice.id, Decision::Reject { comment: "later".to_owned() })
            .await
            .expect("rejected");
        assert_eq!(ids(store.pending_proposals_by(&[em, em2]).await.expect("reads")), vec![for_bob.id, for_carol.id]);
        assert_eq!(ids(store.pending_proposals_by(&[cto]).await.expect("reads")), vec![]);
        assert_eq!(ids(store.pending_proposals_by(&[]).await.expect("reads")), vec![]);
        // More proposers than one statement binds.
        let many: Vec<PersonId> = (10_000..10_700).map(PersonId).chain([em2]).collect();
        assert_eq!(ids(store.pending_proposals_by(&many).await.expect("reads")), vec![for_carol.id]);
    }
}

/// A cycle for everyone of [`company`] at every stage: Bob's review signed
/// by both, Alice's and Emma's rated and unsigned, the others untouched.
async fn calibrated_cycle(store: &Store) -> (climb_management::review::CycleId, [PersonId; 5]) {
    let people @ [_, vp, em, bob, alice] = company(store).await;
    let (opened, _) = store
        .open_review_cycle(fw(), admin(), cycle(Scope::Everyone))
        .await
        .expect("opened");
    let reviews = store.cycle_reviews(opened.id).await.expect("reviews");
    let of = |person: PersonId| {
        reviews
            .iter()
            .find(|r| r.person == person)
            .expect("review")
            .id
    };
    let (me, manager) = (Actor::employee(bob), Actor::employee(em));
    store
        .edit_review(fw(), me, of(bob), levels("software-engineer", 0))
        .await
        .expect("self");
    store
        .edit_review(fw(), me, of(bob), Edit::Sign)
        .await
        .expect("self signs");
    store
        .edit_review_all(
            fw(),
            manager,
            of(bob),
            vec![
                levels("software-engineer", 0),
                Edit::Rate(Rating::MeetsExpectations),
            ],
        )
        .await
        .expect("manager");
    store
        .edit_review(fw(), manager, of(bob), Edit::Sign)
        .await
        .expect("manager signs");
    store
        .edit_review_all(
            fw(),
            manager,
            of(alice),
            vec![
                levels("senior-software-engineer", 0),
                Edit::Rate(Rating::Outstanding),
            ],
        )
        .await
        .expect("alice rated");
    store
        .edit_review_all(
            fw(),
            Actor::employee(vp),
            of(em),
            vec![
                levels("engineering-manager", 1),
                Edit::Rate(Rating::ExceedsExpectations),
            ],
        )
        .await
        .expect("emma rated");
    (opened.id, people)
}

/// A review's counted columns as stored: id, role, rating and the day
/// each side signed.
type ColumnsRow = (i64, String, Option<String>, Option<String>, Option<String>);

/// The calibration view of the cycle's reviews, read whole and filtered to
/// `people`: what the counted columns must agree with.
async fn calibration_from_bodies(
    store: &Store,
    cycle: climb_management::review::CycleId,
    people: Option<&[PersonId]>,
) -> climb_management::calibration::Calibration {
    let reviews = store.cycle_reviews(cycle).await.expect("reviews");
    climb_management::calibration::calibrate(
        fw(),
        reviews
            .iter()
            .filter(|r| people.is_none_or(|p| p.contains(&r.person))),
    )
}

async fn calibration_from_columns(
    store: &Store,
    cycle: climb_management::review::CycleId,
    people: Option<&[PersonId]>,
) -> climb_management::calibration::Calibration {
    let counted = store
        .calibration_counts(cycle, people)
        .await
        .expect("counts");
    climb_management::calibration::calibrate_counts(fw(), &counted)
}

both_backends! {
    async fn calibration_counted_from_the_columns_matches_the_reviews_for_a_cycle_and_a_subtree(db) {
        let store = db.open().await;
        let (cycle, [cto, vp, em, bob, alice]) = calibrated_cycle(&store).await;
        let whole = calibration_from_columns(&store, cycle, None).await;
        assert_eq!(whole, calibration_from_bodies(&store, cycle, None).await);
        assert_eq!((whole.total.reviews, whole.total.rated, whole.total.signed), (5, 3, 1));
        assert_eq!(whole.total.counts, [0, 0, 1, 1, 1]);

        for people in [vec![em, bob, alice], vec![bob, alice], vec![cto, vp], vec![]] {
            let below = calibration_from_columns(&store, cycle, Some(&people)).await;
            assert_eq!(below, calibration_from_bodies(&store, cycle, Some(&people)).await, "{people:?}");
        }
        // More people than one statement takes, most of them in no review.
        let mut many: Vec<PersonId> = (10_000..12_500).map(PersonId).collect();
        many.push(bob);
        let counted = calibration_from_columns(&store, cycle, Some(&many)).await;
        assert_eq!((counted.total.reviews, counted.total.signed), (1, 1));
        assert_eq!(counted.total.counts, [0, 0, 1, 0, 0]);
        assert_eq!(store.cycle_progress().await.expect("progress"), vec![(cycle, 5, 1)]);

        // Who signed what, as the managers' habits count it.
        let mut signed = store.cycle_signatures(cycle).await.expect("signatures").as_ref().clone();
        signed.sort_by_key(|s| s.person);
        let mut from_bodies: Vec<Signatures> = store
            .cycle_reviews(cycle)
            .await
            .expect("reviews")
            .iter()
            .map(Signatures::of)
            .collect();
        from_bodies.sort_by_key(|s| s.person);
        assert_eq!(signed, from_bodies);
        let both: Vec<PersonId> = signed.iter().filter(|s| s.own && s.manager).map(|s| s.person).collect();
        assert_eq!((signed.len(), both), (5, vec![bob]));
        let none = store.cycle_signatures(climb_management::review::CycleId(cycle.0 + 1000)).await;
        assert_eq!(*none.expect("no reviews"), Vec::<Signatures>::new());

        // The whole cycle's counts are kept between reads, yet a write
        // through another instance of the store (another process) is seen
        // by the next read.
        assert_eq!(calibration_from_columns(&store, cycle, None).await, whole);
        let other = db.open().await;
        let emma = other
            .cycle_reviews(cycle)
            .await
            .expect("reviews")
            .into_iter()
            .find(|r| r.person == em)
            .expect("emma's review")
            .id;
        other
            .edit_review(fw(), Actor::employee(vp), emma, Edit::Rate(Rating::PartlyMeetsExpectations))
            .await
            .expect("re-rated elsewhere");
        let after = calibration_from_columns(&store, cycle, None).await;
        assert_eq!(after, calibration_from_bodies(&store, cycle, None).await);
        assert_ne!(after, whole);
    }
}

both_backends! {
    async fn a_cycle_written_before_the_review_columns_reads_the_same_after_their_migration(db) {
        let store = db.open().await;
        let (cycle, [_, vp, em, bob, alice]) = calibrated_cycle(&store).await;
        let whole = calibration_from_bodies(&store, cycle, None).await;
        let below = calibration_from_bodies(&store, cycle, Some(&[em, bob, alice])).await;
        let progress = store.cycle_progress().await.expect("progress");
        drop(store);

        // Back to the schema before migration 9, the bodies kept as written.
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connects");
        sqlx::raw_sql(
            "DROP INDEX reviews_calibration; \
             DROP INDEX promotion_proposals_proposer; \
             DROP INDEX promotion_proposals_status; \
             ALTER TABLE reviews DROP COLUMN role; \
             ALTER TABLE reviews DROP COLUMN rating; \
             ALTER TABLE reviews DROP COLUMN own_signed_on; \
             ALTER TABLE reviews DROP COLUMN manager_signed_on; \
             DELETE FROM schema_migrations WHERE version = 9;",
        )
        .execute(&mut conn)
        .await
        .expect("schema rolled back");
        conn.close().await.expect("closes");

        let store = db.open().await;
        let reviews = store.cycle_reviews(cycle).await.expect("reviews");
        let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connects");
        let columns: Vec<ColumnsRow> = sqlx::query_as(
            "SELECT id, role, rating, own_signed_on, manager_signed_on FROM reviews ORDER BY id",
        )
        .fetch_all(&mut conn)
        .await
        .expect("columns");
        conn.close().await.expect("closes");
        let expected: Vec<ColumnsRow> = reviews
            .iter()
            .map(|r| (
                r.id.0,
                r.role.as_str().to_owned(),
                r.rating.map(|x| x.as_str().to_owned()),
                r.own.signed_on.map(|d| d.to_string()),
                r.manager.signed_on.map(|d| d.to_string()),
            ))
            .collect();
        assert_eq!(columns, expected, "back-filled from the bodies");
        assert_eq!(calibration_from_columns(&store, cycle, None).await, whole);
        assert_eq!(calibration_from_columns(&store, cycle, Some(&[em, bob, alice])).await, below);
        assert_eq!(store.cycle_progress().await.expect("progress"), progress);

        // Written after the migration, the columns follow the body.
        let emma = reviews.iter().find(|r| r.person == em).expect("emma").id;
        store.edit_review(fw(), Actor::employee(vp), emma, Edit::Rate(Rating::PartlyMeetsExpectations)).await.expect("re-rated");
        let after = calibration_from_columns(&store, cycle, None).await;
        assert_eq!(after, calibration_from_bodies(&store, cycle, None).await);
        assert_eq!(after.total.counts, [0, 1, 1, 0, 1]);
    }
}

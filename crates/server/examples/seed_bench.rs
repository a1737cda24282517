//! Fills a database with a large company for `bench/load.sh`: a CTO, VPs,
//! directors, managers and engineers (staff engineers among them, for the
//! role-change bench), through the store's bulk import; creates an
//! administrator (with a password, for `bench/pages.sh` to log in), drafts
//! one pending promotion proposal per engineering manager (the sample
//! person's among them) and a goal on the sample person's growth plan,
//! opens a review cycle for everyone with one manager's team assessed,
//! rated and partly signed (for the review and calibration pages), and
//! prints, as JSON, its token and password and the ids the benches use.
//! With `people-only` after the size it stops after the people and the
//! administrator (no proposals, goal or review cycle), which is what
//! `bench/org-writes.sh` needs at a million people.
//!
//!     cargo run --release -p climb-server --example seed_bench -- sqlite://bench.db 100000
//!     cargo run --release -p climb-server --example seed_bench -- sqlite://bench.db 1000000 people-only

use std::collections::BTreeMap;

use chrono::NaiveDate;
use climb_framework::{Framework, RoleId, graph};
use climb_management::growth::NewGoal;
use climb_management::review::{Edit, NewCycle, Rated, Rating, Scope};
use climb_people::{Actor, Email, Org, PersonId};
use climb_store::{ImportPerson, Store};

fn row(email: &str, name: String, role: &str, manager: Option<&str>) -> ImportPerson {
    ImportPerson {
        email: Email::parse(email).unwrap_or_else(|e| panic!("{email}: {e}")),
        name: Some(name),
        role: Some(RoleId::parse(role).unwrap_or_else(|e| panic!("{role}: {e}"))),
        manager_email: manager.map(|m| Email::parse(m).unwrap_or_else(|e| panic!("{m}: {e}"))),
        start_date: NaiveDate::from_ymd_opt(2020, 1, 1),
        status: None,
        end_date: None,
    }
}

/// The administrator's password.
const PASSWORD: &str = "bench-password";

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "sqlite://bench.db".to_owned());
    let people: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let people_only = args.next().as_deref() == Some("people-only");
    let store = Store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    let framework = climb_framework::builtin();

    let mut rows = vec![row("cto@example.com", "Casey CTO".into(), "cto", None)];
    let levels = [
        "software-engineer",
        "senior-software-engineer",
        "staff-engineer",
        "associate-software-engineer",
    ];
    let (vps, directors_per_vp, managers_per_director) = (5, 10, 20);
    let managers = vps * directors_per_vp * managers_per_director;
    let engineers = people.saturating_sub(1 + vps + vps * directors_per_vp + managers);
    let mut n = 0usize;
    for v in 0..vps {
        let vp = format!("vp{v}@example.com");
        rows.push(row(
            &vp,
            format!("VP {v}"),
            "vp-engineering",
            Some("cto@example.com"),
        ));
        for d in 0..directors_per_vp {
            let director = format!("dir{v}-{d}@example.com");
            rows.push(row(
                &director,
                format!("Director {v}-{d}"),
                "director-of-engineering",
                Some(&vp),
            ));
            for m in 0..managers_per_director {
                let manager = format!("mgr{v}-{d}-{m}@example.com");
                rows.push(row(
                    &manager,
                    format!("Manager {v}-{d}-{m}"),
                    "engineering-manager",
                    Some(&director),
                ));
            }
        }
    }
    let manager_emails: Vec<String> = rows
        .iter()
        .filter(|r| {
            r.role
                .as_ref()
                .is_some_and(|r| r.as_str() == "engineering-manager")
        })
        .map(|r| r.email.to_string())
        .collect();
    while n < engineers {
        let manager = &manager_emails[n % manager_emails.len()];
        rows.push(row(
            &format!("eng{n}@example.com"),
            format!("Engineer {n}"),
            levels[n % levels.len()],
            Some(manager),
        ));
        n += 1;
    }
    let summary = store
        .import_people(framework, Actor::admin(None), rows)
        .await
        .unwrap_or_else(|e| panic!("import: {e}"));
    let (_, token) = climb_server::create_admin(
        &store,
        "bench@example.com",
        "Bench",
        Some(PASSWORD.to_owned()),
    )
    .await
    .unwrap_or_else(|e| panic!("admin: {e}"));
    let org = store.org().await.unwrap_or_else(|e| panic!("org: {e}"));
    let id = |email: &str| {
        org.person_by_email(&Email::parse(email).unwrap_or_else(|e| panic!("{e}")))
            .map_or(0, |p| p.id.0)
    };
    let staff: Vec<i64> = {
        let mut ids: Vec<PersonId> = org
            .people()
            .filter(|p| p.role.as_str() == "staff-engineer")
            .map(|p| p.id)
            .collect();
        ids.sort();
        ids.into_iter().take(2000).map(|p| p.0).collect()
    };
    let person = id(&format!(
        "eng{}@example.com",
        12_345.min(engineers.saturating_sub(1))
    ));
    let director = id("dir0-0@example.com");
    let other_director = id("dir1-0@example.com");
    let manager = id("mgr0-0-0@example.com");
    let mut seeded = serde_json::json!({
        "created": summary.created,
        "token": token,
        "person": person,
        "director": director,
        "other_director": other_director,
        "manager": manager,
        "email": "bench@example.com",
        "password": PASSWORD,
    });
    if people_only {
        println!("{seeded}");
        return;
    }
    let drafts = proposals_to_draft(framework, &org, PersonId(person));
    let team = org.reports(PersonId(manager));
    drop(org);
    let mut proposal = 0;
    for (manager, report, to) in drafts {
        let evidence = framework
            .role(to.as_str())
            .map(|r| {
                r.expectations
                    .iter()
                    .map(|e| {
                        (
                            e.competency.clone(),
                            format!("Worked at this level of {}", e.competency),
                        )
                    })
                    .collect::<BTreeMap<_, _>>()
            })
            .unwrap_or_default();
        let drafted = store
            .draft_proposal(framework, Actor::employee(manager), report, to, evidence)
            .await
            .unwrap_or_else(|e| panic!("proposal: {e}"));
        if report.0 == person {
            proposal = drafted.id.0;
        }
    }
    store
        .add_goal(
            framework,
            Actor::employee(PersonId(person)),
            PersonId(person),
            NewGoal {
                text: "Write the design doc for the next quarter's main project".to_owned(),
                competency: framework.competencies().first().map(|c| c.id.clone()),
                target_date: NaiveDate::from_ymd_opt(2030, 6, 30),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("goal: {e}"));
    // A cycle for everyone; the first manager's team assessed and rated
    // across the scale, every other review signed by both.
    let (cycle, _) = store
        .open_review_cycle(
            framework,
            Actor::admin(None),
            NewCycle {
                name: "Bench H1".to_owned(),
                period_start: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
                period_end: NaiveDate::from_ymd_opt(2026, 6, 30).expect("a date"),
                scope: Scope::Everyone,
                hold_until_released: false,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("review cycle: {e}"));
    let mut team_reviews: Vec<_> = store
        .cycle_reviews(cycle.id)
        .await
        .unwrap_or_else(|e| panic!("reviews: {e}"))
        .into_iter()
        .filter(|r| team.contains(&r.person))
        .collect();
    team_reviews.sort_by_key(|r| r.id);
    for (n, review) in team_reviews.iter().enumerate() {
        let levels = |what: &str| {
            Edit::Assess(
                review
                    .expected
                    .iter()
                    .map(|(c, level)| {
                        (
                            c.clone(),
                            Rated {
                                level: *level,
                                evidence: format!("{what}: {c} in the bench project"),
                            },
                        )
                    })
                    .collect(),
            )
        };
        let person = Actor::employee(review.person);
        let boss = Actor::employee(PersonId(manager));
        let rating = Rating::ALL[[2, 3, 2, 1, 4, 2, 3][n % 7]];
        store
            .edit_review(framework, person, review.id, levels("Self"))
            .await
            .unwrap_or_else(|e| panic!("self assessment: {e}"));
        store
            .edit_review_all(
                framework,
                boss,
                review.id,
                vec![levels("Manager"), Edit::Rate(rating)],
            )
            .await
            .unwrap_or_else(|e| panic!("manager assessment: {e}"));
        if n % 2 == 0 {
            for actor in [person, boss] {
                store
                    .edit_review(framework, actor, review.id, Edit::Sign)
                    .await
                    .unwrap_or_else(|e| panic!("sign: {e}"));
            }
        }
    }
    let review = team_reviews.first().map_or(0, |r| r.id.0);
    for (key, value) in [
        ("proposal", serde_json::json!(proposal)),
        ("staff", serde_json::json!(staff)),
        ("cycle", serde_json::json!(cycle.id.0)),
        ("review", serde_json::json!(review)),
    ] {
        seeded[key] = value;
    }
    println!("{seeded}");
}

/// One proposal per engineering manager: for the first of their reports
/// (the sample person for theirs) toward the first role the framework
/// allows them to move to.
fn proposals_to_draft(
    framework: &Framework,
    org: &Org,
    sample: PersonId,
) -> Vec<(PersonId, PersonId, RoleId)> {
    let sample_manager = org.person(sample).and_then(|p| p.manager);
    let mut managers: Vec<PersonId> = org
        .people()
        .filter(|p| p.role.as_str() == "engineering-manager")
        .map(|p| p.id)
        .collect();
    managers.sort();
    managers
        .into_iter()
        .filter_map(|manager| {
            let mut reports = org.reports(manager);
            reports.sort();
            if Some(manager) == sample_manager {
                reports.retain(|r| *r == sample);
            }
            reports.into_iter().find_map(|report| {
                let role = org.person(report)?.role.clone();
                graph::next_steps(framework, role.as_str())
                    .into_iter()
                    .map(|t| t.to.clone())
                    .find(|to| org.check_transition(framework, report, to).is_ok())
                    .map(|to| (manager, report, to))
            })
        })
        .collect()
}

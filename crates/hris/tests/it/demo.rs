//! The demo generator: deterministic output and the invariants of a
//! realistic company, checked against the framework it was generated from.

use std::collections::{HashMap, HashSet};

use climb_framework::{Framework, TransitionKind};
use climb_hris::Existing;
use climb_hris::demo::{DemoCompany, generate, write_demo_csv};
use climb_people::{ChangeReason, Status};

use crate::{errors, plan_csv};

fn csv_of(company: &DemoCompany) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_demo_csv(company, &mut bytes).expect("writes");
    bytes
}

fn framework() -> &'static Framework {
    climb_framework::builtin()
}

#[test]
fn the_same_seed_gives_identical_csv_and_another_seed_differs() {
    let a = generate(framework(), 1500, 7);
    let b = generate(framework(), 1500, 7);
    let c = generate(framework(), 1500, 8);
    assert_eq!(csv_of(&a), csv_of(&b));
    assert_eq!(a, b);
    assert_ne!(csv_of(&a), csv_of(&c));
}

#[test]
fn the_requested_number_of_people_is_generated_at_every_size() {
    for size in [0, 1, 2, 3, 5, 10, 19, 20, 57, 100, 333, 1000] {
        let company = generate(framework(), size, 1);
        assert_eq!(company.people.len(), size, "size {size}");
        // Every demo company imports cleanly into an empty store.
        let text = String::from_utf8(csv_of(&company)).expect("utf-8");
        let plan = plan_csv(&Existing::new(), &text);
        assert_eq!(errors(&plan), vec![], "size {size}");
    }
}

fn check_invariants(fw: &Framework, company: &DemoCompany) {
    let by_email: HashMap<_, _> = company.people.iter().map(|p| (&p.row.email, p)).collect();
    assert_eq!(by_email.len(), company.people.len(), "emails are unique");
    let role = |p: &climb_hris::demo::DemoPerson| {
        p.row
            .role
            .as_ref()
            .and_then(|r| fw.role(r.as_str()))
            .expect("a framework role")
    };

    // Exactly one holder of the hire-only top role, hired into it.
    let tops: Vec<_> = company
        .people
        .iter()
        .filter(|p| role(p).hire_only)
        .collect();
    assert_eq!(tops.len(), 1);
    assert_eq!(tops[0].history.len(), 1);
    assert_eq!(tops[0].row.manager_email, None);

    // Managers hold roles with reports; spans 3–12 below the top.
    let mut active_reports: HashMap<_, usize> = HashMap::new();
    for p in &company.people {
        if let Some(m) = &p.row.manager_email {
            let manager = by_email.get(m).expect("manager exists");
            assert!(role(manager).reports, "{m} manages but has no reports role");
            assert_eq!(manager.row.status, Some(Status::Active));
            if p.row.status == Some(Status::Active) {
                *active_reports.entry(m).or_default() += 1;
            }
        }
    }
    for (m, span) in &active_reports {
        if by_email[m].row.manager_email.is_some() {
            assert!((3..=12).contains(span), "{m} has {span} reports");
        }
    }

    // No cycles: every chain reaches the top within n steps.
    for p in &company.people {
        let mut at = p;
        let mut steps = 0;
        while let Some(m) = &at.row.manager_email {
            at = by_email[m];
            steps += 1;
            assert!(steps <= company.people.len(), "cycle above {}", p.row.email);
        }
    }

    // Leavers: a few percent, with an end date after the start, no reports.
    let leavers: Vec<_> = company
        .people
        .iter()
        .filter(|p| p.row.status == Some(Status::Left))
        .collect();
    let share = leavers.len() * 100 / company.people.len();
    assert!((1..=6).contains(&share), "{share}% left");
    for p in &leavers {
        let (start, end) = (
            p.row.start_date.expect("start"),
            p.row.end_date.expect("end"),
        );
        assert!(start < end);
        assert!(!active_reports.contains_key(&p.row.email));
    }

    // A pyramid: the two most junior IC levels outnumber the two most senior.
    let main = &role(tops[0]).stream;
    let _ = main;
    let mut ic_counts: HashMap<u8, usize> = HashMap::new();
    for p in &company.people {
        let r = role(p);
        if !r.reports
            && fw.stream_of(r).id.as_str()
                == fw
                    .roles()
                    .iter()
                    .find(|r| r.entry)
                    .map_or("", |r| r.stream.as_str())
        {
            *ic_counts.entry(r.seniority.get()).or_default() += 1;
        }
    }
    let mut levels: Vec<_> = ic_counts.into_iter().collect();
    levels.sort();
    let juniors: usize = levels.iter().take(2).map(|l| l.1).sum();
    let seniors: usize = levels.iter().rev().take(2).map(|l| l.1).sum();
    assert!(juniors > seniors, "{levels:?}");

    // Histories: a hire on the start date, then transitions of the framework,
    // dates strictly increasing and within employment, ending in the role.
    for p in &company.people {
        let first = &p.history[0];
        assert_eq!(first.reason, ChangeReason::Hire);
        assert_eq!(first.from, None);
        assert_eq!(Some(first.effective_date), p.row.start_date);
        for pair in p.history.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            assert!(
                before.effective_date < after.effective_date,
                "{}",
                p.row.email
            );
            assert_eq!(after.from.as_ref(), Some(&before.to));
            if after.reason == ChangeReason::Correction {
                // Outside the framework's arrows, with the administrator's reason.
                assert!(
                    fw.transition(before.to.as_str(), after.to.as_str())
                        .is_none()
                );
                assert!(after.note.as_deref().is_some_and(|n| !n.trim().is_empty()));
                continue;
            }
            assert_eq!(after.note, None);
            let t = fw
                .transition(before.to.as_str(), after.to.as_str())
                .unwrap_or_else(|| panic!("{} -> {} is no transition", before.to, after.to));
            let expected = match t.kind {
                TransitionKind::Promotion => ChangeReason::Promotion,
                TransitionKind::Lateral => ChangeReason::Lateral,
            };
            assert_eq!(after.reason, expected);
        }
        let last = p.history.last().expect("history");
        assert_eq!(Some(&last.to), p.row.role.as_ref());
        assert!(last.effective_date <= p.row.end_date.unwrap_or(company.as_of));
    }
    let promoted = company
        .people
        .iter()
        .filter(|p| p.history.len() > 1)
        .count();
    assert!(
        promoted * 10 > company.people.len(),
        "only {promoted} promoted"
    );

    // Projects: active members, an eligible member as team lead.
    assert!(!company.projects.is_empty());
    let names: HashSet<_> = company.projects.iter().map(|p| &p.name).collect();
    assert_eq!(names.len(), company.projects.len());
    for project in &company.projects {
        assert!(!project.members.is_empty());
        for m in &project.members {
            assert_eq!(by_email[m].row.status, Some(Status::Active));
            assert!(by_email[m].row.start_date <= Some(project.start_date));
        }
        for d in &project.designations {
            assert!(project.members.contains(&d.holder));
            let designation = fw.designation(d.designation.as_str()).expect("designation");
            assert!(designation.is_eligible(&role(by_email[&d.holder]).stream));
        }
        if let Some(closed) = project.closed_on {
            assert!(closed > project.start_date && closed <= company.as_of);
        }
    }
    assert!(company.projects.iter().any(|p| !p.designations.is_empty()));
}

#[test]
fn a_generated_company_is_realistic() {
    for (size, seed) in [(120, 3), (2500, 11), (20_000, 5)] {
        let company = generate(framework(), size, seed);
        check_invariants(framework(), &company);
    }
}

#[test]
fn names_include_accents_and_emails_are_first_dot_last() {
    let company = generate(framework(), 3000, 2);
    assert!(
        company
            .people
            .iter()
            .any(|p| p.row.name.as_deref().is_some_and(|n| !n.is_ascii()))
    );
    for p in &company.people {
        let email = p.row.email.as_str();
        let (local, domain) = email.split_once('@').expect("an @");
        assert_eq!(domain, "example.com");
        assert!(local.contains('.'), "{email}");
        assert!(
            local
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.'),
            "{email}"
        );
    }
}

#[test]
fn the_history_holds_lateral_moves_corrections_spread_leavers_and_unused_arrows() {
    let fw = framework();
    for (size, seed) in [(300, 2026), (1000, 7)] {
        let company = generate(fw, size, seed);
        let changes: Vec<_> = company.people.iter().flat_map(|p| &p.history).collect();
        let count = |reason: ChangeReason| changes.iter().filter(|c| c.reason == reason).count();
        assert!(
            count(ChangeReason::Lateral) >= 1,
            "size {size}: no lateral move"
        );
        assert!(
            count(ChangeReason::Correction) >= 1,
            "size {size}: no correction"
        );
        let leaving_days: HashSet<_> = company
            .people
            .iter()
            .filter_map(|p| p.row.end_date)
            .collect();
        assert!(leaving_days.len() >= 5, "size {size}: {leaving_days:?}");

        // Some of the framework's arrows are never taken.
        let taken: HashSet<_> = changes
            .iter()
            .filter_map(|c| Some((c.from.as_ref()?.as_str(), c.to.as_str())))
            .collect();
        let unused = fw
            .transitions()
            .iter()
            .filter(|t| !taken.contains(&(t.from.as_str(), t.to.as_str())))
            .count();
        assert!(unused >= 1, "size {size}: every arrow is used");

        // Most people move once or twice at most; more stay than climb far.
        let moves = |p: &climb_hris::demo::DemoPerson| {
            p.history
                .iter()
                .filter(|c| matches!(c.reason, ChangeReason::Promotion | ChangeReason::Lateral))
                .count()
        };
        let settled = company.people.iter().filter(|p| moves(p) <= 2).count();
        assert!(
            settled * 10 >= company.people.len() * 8,
            "size {size}: {settled} settled"
        );
    }
}

//! `climb project` as a process on a seven-person company whose history is
//! written through the store, the way the server writes it.

use chrono::NaiveDate;
use climb_framework::RoleId;
use climb_people::{Actor, Change, Command, Email, PersonId};
use climb_store::Store;
use predicates::prelude::*;
use serde_json::Value;

use crate::{climb, fixture};

fn day(raw: &str) -> NaiveDate {
    raw.parse().expect("test date")
}

fn role(raw: &str) -> RoleId {
    RoleId::parse(raw).expect("test role")
}

/// Observed monthly from 2025-01-01 to 2026-01-01 (12 steps):
///
/// - engineers Eva, Eli, Emi, Eno hired 2024: Eva promoted on 2025-06-15
///   (6 engineer trials, the sixth a promotion, then 6 senior ones), Eli's
///   last day 2025-03-10 (3 trials, the third a leaving), Emi and Eno 12
///   each: engineer 33 trials, 1 promotion, 1 leaver;
/// - seniors Sam and Sol hired 2024: Sam moves to manager on 2025-09-01
///   (8 senior trials, the eighth the move, then 4 manager ones), Sol 12:
///   senior 26 trials, 1 move to manager;
/// - manager Max since 2023: 12 trials; managers 16, nobody left.
///
/// On 2026-01-01: 2 engineers, 2 seniors, 2 managers.
fn seven_people(db: &str) {
    let framework = climb_framework::load(
        &std::fs::read_to_string(fixture("three-roles.toml")).expect("fixture"),
    )
    .expect("the fixture checks");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = Store::open(db).await.expect("store");
        let admin = Actor::admin(None);
        let mut ids = std::collections::HashMap::new();
        for (name, first, start) in [
            ("eva", "engineer", "2024-01-01"),
            ("eli", "engineer", "2024-01-01"),
            ("emi", "engineer", "2024-01-01"),
            ("eno", "engineer", "2024-01-01"),
            ("sam", "senior", "2024-01-01"),
            ("sol", "senior", "2024-01-01"),
            ("max", "manager", "2023-01-01"),
        ] {
            let changes = store
                .execute(
                    &framework,
                    admin,
                    Command::Hire {
                        id: PersonId(0),
                        name: name.to_owned(),
                        email: Email::parse(&format!("{name}@example.com")).expect("email"),
                        role: role(first),
                        manager: None,
                        start_date: day(start),
                    },
                )
                .await
                .expect("hired");
            let id = changes
                .iter()
                .find_map(|c| match c {
                    Change::PersonHired { person, .. } => Some(person.id),
                    _ => None,
                })
                .expect("an id");
            ids.insert(name, id);
        }
        for (name, to, date) in [
            ("eva", "senior", "2025-06-15"),
            ("sam", "manager", "2025-09-01"),
        ] {
            store
                .execute(
                    &framework,
                    admin,
                    Command::ChangeRole {
                        person: ids[name],
                        to_role: role(to),
                        effective_date: day(date),
                        note: None,
                        correction: false,
                    },
                )
                .await
                .expect("moved");
        }
        store
            .execute(
                &framework,
                admin,
                Command::Leave {
                    person: ids["eli"],
                    date: day("2025-03-10"),
                },
            )
            .await
            .expect("left");
        store.close_before_exit().await;
    });
}

struct Company {
    _dir: tempfile::TempDir,
    db: String,
}

fn company() -> Company {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("climb.db").display());
    seven_people(&db);
    Company { _dir: dir, db }
}

fn project(company: &Company, extra: &[&str]) -> assert_cmd::Command {
    let mut command = climb();
    command
        .args([
            "--db",
            &company.db,
            "--framework",
            &fixture("three-roles.toml"),
        ])
        .args(["project", "--as-of", "2026-01-01", "--window", "12m"])
        .args(extra);
    command
}

/// The rates of the hand-computed three-role example of the insights crate.
const RATES: [&str; 10] = [
    "--set-rate",
    "engineer->senior=0.25",
    "--set-rate",
    "senior->manager=0.125",
    "--set-leave",
    "engineer=0.125",
    "--set-leave",
    "senior=0.125",
    "--set-leave",
    "manager=0.25",
];

fn json(company: &Company, extra: &[&str]) -> Value {
    let output = project(company, extra)
        .arg("--json")
        .assert()
        .code(0)
        .get_output()
        .clone();
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn the_rates_are_counted_from_the_history_in_the_store() {
    let company = company();
    let answer = json(&company, &["--years", "1", "--runs", "50"]);
    let transitions = &answer["estimate"]["transitions"];
    assert_eq!(transitions[0]["from"], "engineer");
    assert_eq!(transitions[0]["events"], 1);
    assert_eq!(transitions[0]["exposure"], 33);
    assert_eq!(transitions[1]["events"], 1);
    assert_eq!(transitions[1]["exposure"], 26);
    let leaving = &answer["estimate"]["leaving"];
    assert_eq!(
        (leaving[0]["events"].clone(), leaving[0]["exposure"].clone()),
        (1.into(), 33.into())
    );
    assert_eq!(leaving[2]["exposure"], 16);
    assert_eq!(
        answer["headcount"]["per_role"],
        serde_json::json!([2, 2, 2])
    );
    assert_eq!(
        answer["projection"]["dates"].as_array().map(Vec::len),
        Some(13)
    );
}

#[test]
fn the_expected_stock_with_what_ifs_and_hiring_is_the_one_worked_by_hand() {
    // From (2, 2, 2): engineer 2·5/8 + 8 = 9.25; senior 2/4 + 2·3/4 = 2;
    // manager 2/8 + 2·3/4 = 1.75.
    let company = company();
    let mut extra = vec!["--years", "1", "--runs", "20", "--hire", "engineer=8/month"];
    extra.extend(RATES);
    let answer = json(&company, &extra);
    let roles = &answer["projection"]["roles"];
    assert_eq!(roles[0]["expected"][1], 9.25);
    assert_eq!(roles[1]["expected"][1], 2.0);
    assert_eq!(roles[2]["expected"][1], 1.75);
    assert_eq!(answer["model"]["roles"][0]["stay"], 0.625);
    assert_eq!(answer["model"]["roles"][0]["moves"][0]["source"], "what_if");
}

#[test]
fn the_same_seed_prints_the_same_projection_and_another_seed_another() {
    let company = company();
    let run = |seed: &str| {
        project(
            &company,
            &[
                "--years",
                "2",
                "--runs",
                "200",
                "--hire",
                "engineer=3/month",
                "--seed",
                seed,
                "--csv",
            ],
        )
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone()
    };
    assert_eq!(run("11"), run("11"));
    assert_ne!(run("11"), run("12"));
}

#[test]
fn csv_has_a_row_per_date_and_series() {
    let company = company();
    let output = project(&company, &["--years", "1", "--runs", "20", "--csv"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let csv = String::from_utf8(output.stdout).expect("utf-8");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("date,step,kind,series,expected,mean,p10,p50,p90")
    );
    // 13 dates × (3 roles + 2 streams + total).
    assert_eq!(lines.clone().count(), 13 * 6);
    assert_eq!(
        lines.next(),
        Some("2026-01-01,0,role,engineer,2.0000,2.0000,2,2,2")
    );
    assert!(csv.contains("2027-01-01,12,total,total,"), "{csv}");
}

#[test]
fn the_table_shows_rates_with_counts_and_marks_an_off_graph_what_if() {
    let company = company();
    project(
        &company,
        &[
            "--years",
            "2",
            "--runs",
            "50",
            "--set-rate",
            "senior->engineer=0.01",
            "--hire",
            "2/month",
        ],
    )
    .assert()
    .code(0)
    .stdout(
        predicate::str::contains("Moves per month")
            .and(
                predicate::str::is_match(
                    r"engineer\s+senior\s+promotion\s+history\s+1\s+33\s+0\.0303",
                )
                .expect("regex"),
            )
            .and(
                predicate::str::is_match(r"senior\s+engineer\s+off-graph\s+what-if")
                    .expect("regex"),
            )
            .and(predicate::str::contains("engineer: 2 per month"))
            .and(predicate::str::contains("2028-01-01"))
            .and(predicate::str::contains("total")),
    );
}

#[test]
fn rates_out_of_one_role_summing_past_one_are_refused() {
    let company = company();
    project(
        &company,
        &[
            "--set-rate",
            "engineer->senior=0.7",
            "--set-leave",
            "engineer=0.5",
        ],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains("add up to 1.2").and(predicate::str::contains("`engineer`")));
}

#[test]
fn malformed_options_are_refused_before_the_database_is_read() {
    for (flag, value, says) in [
        ("--set-rate", "engineer=0.1", "FROM->TO=P"),
        ("--set-rate", "engineer->senior=lots", "not a number"),
        ("--hire", "engineer=2", "ROLE=N/month"),
        ("--window", "3w", "not a window"),
        ("--window", "0m", "at least one step"),
        ("-o", "plot.gif", ".svg` or `.png"),
    ] {
        climb()
            .args([
                "--db",
                "sqlite:///nonexistent/dir/climb.db",
                "project",
                flag,
                value,
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn a_window_shorter_than_a_year_cannot_give_annual_rates() {
    let company = company();
    climb()
        .args([
            "--db",
            &company.db,
            "--framework",
            &fixture("three-roles.toml"),
        ])
        .args(["project", "--window", "11m", "--step", "year"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds no whole year"));
}

#[test]
fn the_plot_is_written_as_svg_with_a_panel_per_role_or_as_png() {
    let company = company();
    let dir = tempfile::tempdir().expect("temp dir");
    let svg = dir.path().join("plot.svg");
    project(
        &company,
        &[
            "--years",
            "2",
            "--runs",
            "100",
            "--hire",
            "engineer=1/month",
            "-o",
        ],
    )
    .arg(&svg)
    .assert()
    .code(0);
    let text = std::fs::read_to_string(&svg).expect("svg written");
    for role in ["engineer", "senior", "manager"] {
        assert!(
            text.contains(&format!(r#"<g class="panel" data-series="{role}">"#)),
            "{role}"
        );
    }
    assert!(text.contains(r#"class="band""#) && text.contains(r#"class="expected""#));
    assert!(text.contains("p10–p90 of 100 runs"));

    let png = dir.path().join("plot.png");
    project(
        &company,
        &["--years", "2", "--runs", "100", "--plot-by", "stream", "-o"],
    )
    .arg(&png)
    .assert()
    .code(0);
    let bytes = std::fs::read(&png).expect("png written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
}

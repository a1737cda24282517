//! The insights API against a six-person team built through the API and
//! worked out by hand (the same team as the insights crate's tests, on the
//! built-in framework).

use climb_people::ActorKind;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestServer, both_backends};

/// The team, ids in hiring order, and Hana (HR, outside it).
struct Team {
    mo: i64,
    eli: i64,
    dev: i64,
    hana: i64,
}

/// Everyone starts on 2020-01-01 (day 0):
///
/// - Mo: engineering manager, at the top of the team.
/// - Al: software engineer under Mo, promoted on day 100 (2020-04-10).
/// - Bea: software engineer under Mo, leaves on day 200 (2020-07-19).
/// - Cai: software engineer under Mo, promoted on day 300 (2020-10-27).
/// - Dev: software engineer under Mo, still one, moved under Eli.
/// - Eli: software engineer under Mo, corrected to engineering manager on
///   day 150 (2020-05-30), an off-graph move.
///
/// On day 400 (2021-02-04) the software engineer spells were promoted at
/// 100 and 300 and censored at 150, 200 and 400: Kaplan–Meier gives
/// S(100) = 4/5 and S(300) = 2/5, so p25 = median = 300 days and p75 is
/// never reached (the completed spells alone would say 200).
async fn team(server: &TestServer) -> Team {
    let hire = |name: &str, role: &str, manager: Option<i64>| {
        let email = format!("{}@example.com", name.to_lowercase());
        json!({"name": name, "email": email, "role": role, "manager": manager, "start_date": "2020-01-01"})
    };
    let mut ids = Vec::new();
    let mo = created(server, hire("Mo", "engineering-manager", None)).await;
    for name in ["Al", "Bea", "Cai", "Dev", "Eli"] {
        ids.push(created(server, hire(name, "software-engineer", Some(mo))).await);
    }
    let [al, bea, cai, dev, eli] = ids[..] else {
        panic!("five hires")
    };
    let hana = created(server, hire("Hana", "architect", None)).await;
    let change = |id: i64, body: Value| async move {
        let answer = server
            .post(
                &server.admin,
                &format!("/api/v1/people/{id}/role-changes"),
                body,
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    };
    change(
        al,
        json!({"to_role": "senior-software-engineer", "effective_date": "2020-04-10"}),
    )
    .await;
    change(
        eli,
        json!({"to_role": "engineering-manager", "effective_date": "2020-05-30", "correction": true, "reason": "runs the team already"}),
    )
    .await;
    let left = server
        .post(
            &server.admin,
            &format!("/api/v1/people/{bea}/leave"),
            json!({"date": "2020-07-19"}),
        )
        .await;
    assert_eq!(left.status, StatusCode::OK, "{}", left.body);
    change(
        cai,
        json!({"to_role": "senior-software-engineer", "effective_date": "2020-10-27"}),
    )
    .await;
    let moved = server
        .put(
            &server.admin,
            &format!("/api/v1/people/{dev}/manager"),
            json!({"manager": eli}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    Team { mo, eli, dev, hana }
}

async fn created(server: &TestServer, body: Value) -> i64 {
    let answer = server.post(&server.admin, "/api/v1/people", body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    answer.body["id"].as_i64().expect("id")
}

fn cell<'a>(pyramid: &'a Value, role: &str) -> &'a Value {
    pyramid["streams"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["roles"].as_array().into_iter().flatten())
        .find(|c| c["role"] == role)
        .unwrap_or(&Value::Null)
}

fn rate<'a>(flow: &'a Value, role: &str) -> &'a Value {
    flow["rates"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["role"] == role)
        .unwrap_or(&Value::Null)
}

const SUPPRESSED: &str = "fewer than 5";

both_backends! {
    async fn the_pyramid_counts_the_roles_held_on_the_day(server) {
        let t = team(&server).await;
        let mo = server.token_for(t.mo, ActorKind::Employee).await;
        let now = server.get(&mo, &format!("/api/v1/insights/pyramid?under={}&as_of=2021-02-04", t.mo)).await;
        assert_eq!(now.status, StatusCode::OK, "{}", now.body);
        assert_eq!(now.body["headcount"], 5);
        assert_eq!(cell(&now.body, "software-engineer")["headcount"], 1);
        assert_eq!(cell(&now.body, "senior-software-engineer")["headcount"], 2);
        assert_eq!(cell(&now.body, "engineering-manager")["headcount"], 2);
        assert_eq!(cell(&now.body, "cto")["hire_only"], true);
        let then = server.get(&mo, &format!("/api/v1/insights/pyramid?under={}&as_of=2020-02-01", t.mo)).await;
        assert_eq!(cell(&then.body, "software-engineer")["headcount"], 5);
        // The whole company's pyramid is directory-level: Dev may see it.
        let dev = server.token_for(t.dev, ActorKind::Employee).await;
        let company = server.get(&dev, "/api/v1/insights/pyramid?as_of=2021-02-04&stream=architecture").await;
        assert_eq!(company.status, StatusCode::OK, "{}", company.body);
        assert_eq!(company.body["headcount"], 1, "Hana");
        assert_eq!(company.body["streams"].as_array().map(Vec::len), Some(1));
        let text = server
            .client
            .get(server.url("/api/v1/insights/pyramid.csv?as_of=2021-02-04&stream=architecture"))
            .bearer_auth(&dev)
            .send()
            .await
            .expect("answered");
        assert_eq!(text.headers()["content-type"], "text/csv; charset=utf-8");
        assert_eq!(
            text.text().await.expect("text"),
            "stream,role,seniority,hire_only,headcount,designation_holders\n\
             architecture,architect,4,false,1,0\n\
             architecture,senior-architect,5,false,0,0\n"
        );
    }
}

both_backends! {
    async fn time_in_role_is_read_off_kaplan_meier_and_small_groups_are_hidden_below_hr(server) {
        let t = team(&server).await;
        let mo = server.token_for(t.mo, ActorKind::Employee).await;
        let hana = server.token_for(t.hana, ActorKind::Hr).await;
        let path = format!("/api/v1/insights/time-in-role?under={}&as_of=2021-02-04", t.mo);
        let role = |body: &Value, id: &str| {
            body["roles"].as_array().into_iter().flatten().find(|r| r["role"] == id).cloned().unwrap_or_default()
        };
        let hr = server.get(&hana, &path).await;
        assert_eq!(hr.status, StatusCode::OK, "{}", hr.body);
        let engineer = role(&hr.body, "software-engineer");
        assert_eq!(
            (&engineer["people"], &engineer["promotions"], &engineer["censored"], &engineer["censored_by_leaving"]),
            (&json!(5), &json!(2), &json!(3), &json!(1))
        );
        assert_eq!(engineer["quantiles"], json!({"p25_days": 300, "median_days": 300, "p75_days": null}));
        assert_eq!(engineer["current"], json!({"n": 1, "median_days": 400.0, "max_days": 400}));
        assert_eq!(role(&hr.body, "senior-software-engineer")["people"], 2);
        assert_eq!(role(&hr.body, "senior-software-engineer")["quantiles"]["median_days"], Value::Null);

        let manager = server.get(&mo, &path).await;
        assert_eq!(manager.status, StatusCode::OK, "{}", manager.body);
        let engineer = role(&manager.body, "software-engineer");
        assert_eq!(engineer["quantiles"]["median_days"], 300, "five people are shown");
        assert_eq!(engineer["current"], json!({"suppressed": SUPPRESSED}));
        assert_eq!(role(&manager.body, "senior-software-engineer")["quantiles"], json!({"suppressed": SUPPRESSED}));
        let csv = server
            .client
            .get(server.url(&path.replace("time-in-role", "time-in-role.csv")))
            .bearer_auth(&mo)
            .send()
            .await
            .expect("answered")
            .text()
            .await
            .expect("text");
        assert!(csv.contains("\nsoftware-engineer,5,5,2,3,1,300,300,,fewer than 5,fewer than 5\n"), "{csv}");
    }
}

both_backends! {
    async fn the_flow_counts_arrows_corrections_and_yearly_rates(server) {
        let t = team(&server).await;
        let mo = server.token_for(t.mo, ActorKind::Employee).await;
        let path = format!("/api/v1/insights/flow?under={}&from=2020-01-01&to=2021-01-01", t.mo);
        let hr = server.get(&server.admin, &path).await;
        assert_eq!(hr.status, StatusCode::OK, "{}", hr.body);
        let arrow = |from: &str, to: &str| {
            hr.body["arrows"].as_array().into_iter().flatten()
                .find(|a| a["from"] == from && a["to"] == to)
                .map(|a| a["moves"].clone())
        };
        assert_eq!(arrow("software-engineer", "senior-software-engineer"), Some(json!(2)));
        assert_eq!(arrow("senior-software-engineer", "staff-engineer"), Some(json!(0)));
        let arrows = hr.body["arrows"].as_array().map(Vec::len).unwrap_or(0);
        assert_eq!(hr.body["unused"].as_array().map(Vec::len), Some(arrows - 1));
        assert_eq!(
            hr.body["off_graph"],
            json!([{"from": "software-engineer", "to": "engineering-manager", "moves": 1, "corrections": 1}])
        );
        let engineer = rate(&hr.body, "software-engineer");
        assert_eq!((&engineer["year"], &engineer["held"]), (&json!(2020), &json!(5)));
        assert_eq!(engineer["promotion"], json!({"events": 2, "rate": 0.4}));
        assert_eq!(engineer["lateral"], json!({"events": 0, "rate": 0.0}));
        assert_eq!(engineer["leaving"], json!({"events": 1, "rate": 0.2}));
        assert_eq!(rate(&hr.body, "senior-software-engineer")["promotion"], json!({"events": 0, "rate": 0.0}));

        let manager = server.get(&mo, &path).await;
        assert_eq!(manager.status, StatusCode::OK, "{}", manager.body);
        assert_eq!(rate(&manager.body, "software-engineer")["leaving"], json!({"events": 1, "rate": 0.2}));
        assert_eq!(rate(&manager.body, "senior-software-engineer")["held"], 2);
        assert_eq!(rate(&manager.body, "senior-software-engineer")["promotion"], json!({"suppressed": SUPPRESSED}));

        let chart = server
            .client
            .get(server.url(&path.replace("/flow?", "/flow.svg?")))
            .bearer_auth(&mo)
            .send()
            .await
            .expect("answered");
        assert_eq!(chart.headers()["content-type"], "image/svg+xml");
        let svg = chart.text().await.expect("text");
        assert!(
            svg.contains(r#"class="transition promotion" data-from="software-engineer" data-to="senior-software-engineer" data-moves="2""#),
            "{svg}"
        );
        assert!(svg.contains(r#"data-from="senior-software-engineer" data-to="staff-engineer" data-moves="0" data-unused="true""#));

        let backwards = server.get(&mo, &format!("/api/v1/insights/flow?under={}&from=2021-01-01&to=2020-01-01", t.mo)).await;
        assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", backwards.body);
        assert_eq!(backwards.code(), "invalid_period");
        assert!(backwards.body["error"]["message"].as_str().unwrap_or("").contains("must be before"), "{}", backwards.body);
    }
}

both_backends! {
    async fn span_of_control_counts_reports_layers_and_lone_reports(server) {
        let t = team(&server).await;
        let mo = server.token_for(t.mo, ActorKind::Employee).await;
        let hr = server.get(&server.admin, &format!("/api/v1/insights/span?under={}&as_of=2021-02-04", t.mo)).await;
        assert_eq!(hr.status, StatusCode::OK, "{}", hr.body);
        assert_eq!(
            (&hr.body["people"], &hr.body["managers"], &hr.body["ics"], &hr.body["layers"], &hr.body["ics_per_manager"]),
            (&json!(5), &json!(2), &json!(3), &json!(3), &json!(1.5))
        );
        assert_eq!(hr.body["distribution"], json!([{"reports": 1, "managers": 1}, {"reports": 3, "managers": 1}]));
        assert_eq!(hr.body["one_report"], json!([{"person": t.eli, "reports": 1}]));
        assert_eq!(hr.body["over_threshold"], json!([]));
        let tight = server.get(&mo, &format!("/api/v1/insights/span?under={}&as_of=2021-02-04&threshold=2", t.mo)).await;
        assert_eq!(tight.status, StatusCode::OK, "{}", tight.body);
        assert_eq!(tight.body["over_threshold"], json!([{"person": t.mo, "reports": 3}]));
        assert_eq!(tight.body["distribution"], json!({"suppressed": SUPPRESSED}), "two managers");
        assert_eq!(tight.body["ics_per_manager"], json!(1.5), "five people");
        let huge = server.get(&mo, &format!("/api/v1/insights/span?under={}&threshold=10001", t.mo)).await;
        assert_eq!((huge.status, huge.code()), (StatusCode::BAD_REQUEST, "invalid_query"), "{}", huge.body);
    }
}

both_backends! {
    async fn manager_habits_count_cadence_reviews_and_decisions_over_the_last_days(server) {
        let t = team(&server).await;
        let found = server.get(&server.admin, "/api/v1/people?q=Cai").await;
        let cai = found.body["people"][0]["id"].as_i64().expect("Cai");
        // Cai meets weekly from 14 days ago and has not met yet: of the 30
        // days to today, the 15 before the first day and the 8 within a
        // week of it are on cadence, the last 7 are not.
        let first = (chrono::Utc::now().date_naive() - chrono::Duration::days(14)).to_string();
        let mo = server.token_for(t.mo, ActorKind::Employee).await;
        let set = server
            .put(
                &mo,
                &format!("/api/v1/people/{cai}/one-on-ones/schedule"),
                json!({"cadence": "weekly", "first_date": first, "time": "10:00", "time_zone": "UTC", "minutes": 30}),
            )
            .await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        let opened = server
            .post(
                &server.admin,
                "/api/v1/review-cycles",
                json!({"name": "2026 H2", "period_start": "2026-07-01", "period_end": "2026-12-31", "scope": {"kind": "everyone"}}),
            )
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        // A newer cycle of the architects only: nobody below Mo, so Mo's
        // habits keep the company-wide cycle.
        let architects = server
            .post(
                &server.admin,
                "/api/v1/review-cycles",
                json!({"name": "Architects 2026", "period_start": "2026-07-01", "period_end": "2026-12-31", "scope": {"kind": "stream", "stream": "architecture"}}),
            )
            .await;
        assert_eq!(architects.status, StatusCode::CREATED, "{}", architects.body);

        let path = format!("/api/v1/insights/habits?under={}&days=30", t.mo);
        let hr = server.get(&server.admin, &path).await;
        assert_eq!(hr.status, StatusCode::OK, "{}", hr.body);
        assert_eq!(hr.body["cycle"]["name"], "2026 H2");
        let managers = hr.body["managers"].as_array().expect("managers");
        assert_eq!(managers.len(), 2, "{}", hr.body);
        let of_mo = &managers[0];
        assert_eq!((&of_mo["person"], &of_mo["reports"]), (&json!(t.mo), &json!(3)));
        assert_eq!(of_mo["one_on_ones"]["without_schedule"], 2);
        let kept = of_mo["one_on_ones"]["kept"].as_f64().expect("shown to HR");
        assert!((kept - 23.0 / 90.0).abs() < 1e-9, "{kept}");
        assert_eq!(of_mo["reviews"], json!({"reviews": 3, "self_signed": 0, "manager_signed": 0, "signed": 0, "completion": 0.0}));
        assert_eq!(of_mo["decisions"], json!({"decided": 0, "median_days": null, "pending": 0, "oldest_pending_days": null}));
        assert_eq!((&managers[1]["person"], &managers[1]["reports"]), (&json!(t.eli), &json!(1)));
        assert_eq!(hr.body["overall"]["managers"], 2);

        // Mo sees his own subtree with the rates of fewer than 5 hidden.
        let own = server.get(&mo, &path).await;
        assert_eq!(own.status, StatusCode::OK, "{}", own.body);
        assert_eq!(own.body["managers"][0]["one_on_ones"]["kept"], json!({"suppressed": SUPPRESSED}));
        assert_eq!(own.body["managers"][0]["one_on_ones"]["without_schedule"], 2, "counts stay");
        let csv = server
            .client
            .get(server.url(&path.replace("habits", "habits.csv")))
            .bearer_auth(&mo)
            .send()
            .await
            .expect("answered")
            .text()
            .await
            .expect("text");
        assert!(csv.starts_with("manager,reports,without_schedule,cadence_kept,"), "{csv}");
        assert!(csv.contains(&format!("\n{},3,2,fewer than 5,3,0,0,0,fewer than 5,0,,0,\n", t.mo)), "{csv}");

        let eli = server.token_for(t.eli, ActorKind::Employee).await;
        assert_eq!(server.get(&eli, &path).await.status, StatusCode::FORBIDDEN);
        for bad in ["days=0", "days=1099", "as_of=2021-13-01"] {
            let answer = server.get(&server.admin, &format!("/api/v1/insights/habits?{bad}")).await;
            assert_eq!((answer.status, answer.code()), (StatusCode::BAD_REQUEST, "invalid_query"), "{bad}: {}", answer.body);
        }
        let company = server.get(&server.admin, "/api/v1/insights/habits").await;
        assert_eq!(company.body["cycle"]["name"], "Architects 2026", "the newest cycle reviewed someone in the company");
        let no_cycle = server.get(&server.admin, "/api/v1/insights/habits?cycle=999").await;
        assert_eq!((no_cycle.status, no_cycle.code()), (StatusCode::NOT_FOUND, "unknown_cycle"), "{}", no_cycle.body);
    }
}

both_backends! {
    async fn a_subtrees_figures_are_its_chains_and_bad_input_is_named(server) {
        let t = team(&server).await;
        let mo = server.token_for(t.mo, ActorKind::Employee).await;
        let eli = server.token_for(t.eli, ActorKind::Employee).await;
        let dev = server.token_for(t.dev, ActorKind::Employee).await;
        for route in ["pyramid", "time-in-role", "flow", "span", "habits"] {
            let below_mo = format!("/api/v1/insights/{route}?under={}", t.mo);
            assert_eq!(server.get(&mo, &below_mo).await.status, StatusCode::OK, "{route}");
            assert_eq!(server.get(&eli, &below_mo).await.status, StatusCode::FORBIDDEN, "{route}");
            let below_eli = format!("/api/v1/insights/{route}?under={}", t.eli);
            assert_eq!(server.get(&mo, &below_eli).await.status, StatusCode::OK, "{route}: a manager up the chain");
            assert_eq!(server.get(&dev, &below_eli).await.status, StatusCode::FORBIDDEN, "{route}: a report");
            let nobody = server.get(&mo, &format!("/api/v1/insights/{route}?under=9999")).await;
            assert_eq!(nobody.status, StatusCode::NOT_FOUND, "{route}");
            assert_eq!(nobody.code(), "unknown_person");
        }
        // Company-wide career figures are HR's; the pyramid everyone's.
        assert_eq!(server.get(&mo, "/api/v1/insights/time-in-role").await.status, StatusCode::FORBIDDEN);
        assert_eq!(server.get(&mo, "/api/v1/insights/projection").await.status, StatusCode::FORBIDDEN);
        assert_eq!(server.get(&dev, "/api/v1/insights/pyramid").await.status, StatusCode::OK);

        let bad_date = server.get(&server.admin, "/api/v1/insights/pyramid?as_of=2021-02-30").await;
        assert_eq!(bad_date.status, StatusCode::BAD_REQUEST, "{}", bad_date.body);
        assert_eq!(bad_date.code(), "invalid_query");
        let stream = server.get(&server.admin, "/api/v1/insights/time-in-role?stream=sales").await;
        assert_eq!(stream.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", stream.body);
        assert_eq!(stream.code(), "unknown_stream");
        assert!(stream.body["error"]["message"].as_str().unwrap_or("").contains("`sales`"));
        let unknown = server.get(&server.admin, "/api/v1/insights/span?stream=engineering").await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "span takes no stream: {}", unknown.body);
    }
}

both_backends! {
    async fn the_projection_answers_what_the_command_line_computes(server) {
        let t = team(&server).await;
        let query = "years=2&runs=50&seed=7&step=year&window=1y&as_of=2021-01-01\
                     &hire=software-engineer=2/year&hire=1/year\
                     &set_rate=software-engineer-%3Esenior-software-engineer=0.3\
                     &set_leave=software-engineer=0.1";
        let answer = server.get(&server.admin, &format!("/api/v1/insights/projection?{query}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let org = server.store.org().await.expect("org");
        let request = climb_insights::ProjectionRequest {
            as_of: "2021-01-01".parse().expect("date"),
            window_months: 12,
            step: climb_insights::Step::Year,
            years: 2,
            runs: 50,
            seed: 7,
            hires: vec![
                climb_insights::parse_hire("software-engineer=2/year").expect("hire"),
                climb_insights::parse_hire("1/year").expect("hire"),
            ],
            targets: vec![],
            what_if: climb_insights::WhatIf {
                moves: vec![climb_insights::parse_move("software-engineer->senior-software-engineer=0.3").expect("rate")],
                leaving: vec![climb_insights::parse_leave("software-engineer=0.1").expect("leave")],
            },
        };
        let expected = climb_insights::run_projection(climb_framework::builtin(), &org, &request).expect("projection");
        drop(org);
        // Through the same text, so both sides read floats alike.
        let text = serde_json::to_string(&expected).expect("json");
        let expected_json: Value = serde_json::from_str(&text).expect("json");
        assert!(answer.body == expected_json, "the API and the library disagree");
        assert_eq!(answer.body["estimate"]["leaving"].as_array().map(Vec::len), Some(11));

        let hana = server.token_for(t.hana, ActorKind::Hr).await;
        let csv = server
            .client
            .get(server.url(&format!("/api/v1/insights/projection.csv?{query}")))
            .bearer_auth(&hana)
            .send()
            .await
            .expect("answered")
            .text()
            .await
            .expect("text");
        assert_eq!(csv, climb_insights::projection_csv(&expected.projection));

        for (bad, status, code) in [
            ("runs=20000", StatusCode::UNPROCESSABLE_ENTITY, "invalid_runs"),
            ("years=0", StatusCode::UNPROCESSABLE_ENTITY, "invalid_years"),
            ("runs=10000&years=11", StatusCode::UNPROCESSABLE_ENTITY, "projection_too_large"),
            ("window=21y", StatusCode::UNPROCESSABLE_ENTITY, "invalid_window"),
            ("window=3w", StatusCode::UNPROCESSABLE_ENTITY, "invalid_window"),
            ("set_rate=software-engineer=0.1", StatusCode::UNPROCESSABLE_ENTITY, "invalid_option"),
            ("set_leave=sales=0.1", StatusCode::UNPROCESSABLE_ENTITY, "unknown_role"),
            ("set_leave=software-engineer=1.5", StatusCode::UNPROCESSABLE_ENTITY, "rate_out_of_range"),
            ("runs=lots", StatusCode::BAD_REQUEST, "invalid_query"),
            ("step=week", StatusCode::BAD_REQUEST, "invalid_query"),
            ("colour=red", StatusCode::BAD_REQUEST, "invalid_query"),
            ("seed=1&seed=2", StatusCode::BAD_REQUEST, "invalid_query"),
            ("seed=9223372036854775808", StatusCode::BAD_REQUEST, "invalid_query"),
        ] {
            // Few runs, so that the cases refused late stay quick.
            let runs = if bad.starts_with("runs=") { "" } else { "runs=5&" };
            let answer = server.get(&server.admin, &format!("/api/v1/insights/projection?{runs}{bad}")).await;
            assert_eq!((answer.status, answer.code()), (status, code), "{bad}: {}", answer.body);
        }
    }
}

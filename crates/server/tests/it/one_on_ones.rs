//! One-on-ones over HTTP: a manager and a report hold a meeting with a
//! carried-over agenda item, notes (private ones stay their author's),
//! action items; the overview flags overdue pairs; the schedule moves with
//! the report to a new manager; the calendar feed parses as iCalendar.

use climb_people::ActorKind;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::{TestServer, both_backends};

struct Team {
    dana: i64,
    max: i64,
    eve: i64,
    dana_token: String,
    max_token: String,
    eve_token: String,
}

async fn team(server: &TestServer) -> Team {
    let dana = server.hire("Dana", "director-of-engineering", None).await;
    let max = server.hire("Max", "engineering-manager", Some(dana)).await;
    let eve = server.hire("Eve", "software-engineer", Some(max)).await;
    Team {
        dana,
        max,
        eve,
        dana_token: server.token_for(dana, ActorKind::Employee).await,
        max_token: server.token_for(max, ActorKind::Employee).await,
        eve_token: server.token_for(eve, ActorKind::Employee).await,
    }
}

fn days_ago(n: i64) -> String {
    (chrono::Utc::now().date_naive() - chrono::Duration::days(n)).to_string()
}

async fn schedule(server: &TestServer, t: &Team) -> i64 {
    let set = server
        .put(
            &t.max_token,
            &format!("/api/v1/people/{}/one-on-ones/schedule", t.eve),
            json!({"cadence": "weekly", "first_date": days_ago(14), "time": "10:00", "time_zone": "Europe/Berlin", "minutes": 45}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.body["schedule"]["time_zone"], "Europe/Berlin");
    set.body["next"]["id"].as_i64().expect("next meeting")
}

both_backends! {
    async fn a_meeting_is_held_and_the_undiscussed_agenda_item_carries_over(server) {
        let t = team(&server).await;
        let meeting = schedule(&server, &t).await;
        let agenda = format!("/api/v1/one-on-ones/{meeting}/agenda");
        let a = server.post(&t.eve_token, &agenda, json!({"text": "Conference budget"})).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        let b = server.post(&t.eve_token, &agenda, json!({"text": "  Career path to senior  "})).await;
        assert_eq!(b.body["text"], "Career path to senior");
        let c = server.post(&t.max_token, &agenda, json!({"text": "Team offsite"})).await;
        assert_eq!(c.status, StatusCode::CREATED);
        let marked = server
            .put(&t.max_token, &format!("/api/v1/one-on-ones/agenda/{}", a.body["id"]), json!({"discussed": true}))
            .await;
        assert_eq!(marked.body["discussed"], true);

        // The skip-level manager reads but does not take part.
        let skip = server.post(&t.dana_token, &agenda, json!({"text": "Hello"})).await;
        assert_eq!(skip.status, StatusCode::FORBIDDEN);
        assert_eq!(server.get(&t.dana_token, &format!("/api/v1/one-on-ones/{meeting}")).await.status, StatusCode::OK);

        let held = server.post(&t.max_token, &format!("/api/v1/one-on-ones/{meeting}/hold"), json!({})).await;
        assert_eq!(held.status, StatusCode::OK, "{}", held.body);
        let carried: Vec<&str> = held.body["carried_over"].as_array().expect("items").iter().filter_map(|i| i["text"].as_str()).collect();
        assert_eq!(carried, ["Career path to senior", "Team offsite"]);
        let next = held.body["next"]["id"].as_i64().expect("next");
        assert_ne!(next, meeting);
        let again = server.post(&t.max_token, &format!("/api/v1/one-on-ones/{meeting}/hold"), json!({})).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(again.code(), "meeting_held");
        let late = server.post(&t.eve_token, &agenda, json!({"text": "too late"})).await;
        assert_eq!(late.code(), "meeting_held");

        // The held meeting keeps the discussed item; the next one has the rest.
        let old = server.get(&t.eve_token, &format!("/api/v1/one-on-ones/{meeting}")).await;
        assert_eq!(old.body["agenda"].as_array().map(Vec::len), Some(1));
        assert!(old.body["meeting"]["held_at"].is_string());
        assert_eq!(old.body["meeting"]["held_with"], t.max);

        let mine = server.get(&t.eve_token, &format!("/api/v1/people/{}/one-on-ones", t.eve)).await;
        assert_eq!(mine.body["manager"], t.max);
        assert_eq!(mine.body["overdue"], false);
        assert_eq!(mine.body["next"]["id"], next);
        assert_eq!(mine.body["last_held"]["id"], meeting);

        // Saving the schedule again never puts the next meeting at or before
        // the one just held (even when it was held before its time).
        let resaved = server
            .put(
                &t.max_token,
                &format!("/api/v1/people/{}/one-on-ones/schedule", t.eve),
                json!({"cadence": "weekly", "first_date": days_ago(14), "time": "10:00", "time_zone": "Europe/Berlin", "minutes": 45}),
            )
            .await;
        assert_eq!(resaved.body["next"]["id"], next);
        let held_at = mine.body["last_held"]["starts_at"].as_str().expect("start");
        let next_at = resaved.body["next"]["starts_at"].as_str().expect("start");
        assert!(next_at > held_at, "{next_at} after {held_at}");
    }
}

both_backends! {
    async fn private_notes_are_their_authors_alone_and_action_items_carry_over_until_done(server) {
        let t = team(&server).await;
        let meeting = schedule(&server, &t).await;
        let notes = format!("/api/v1/one-on-ones/{meeting}/notes");
        assert_eq!(server.post(&t.max_token, &notes, json!({"text": "Eve seems tired", "private": true})).await.status, StatusCode::CREATED);
        assert_eq!(server.post(&t.eve_token, &notes, json!({"text": "We agreed on a mentor"})).await.status, StatusCode::CREATED);
        let texts = |body: &serde_json::Value| -> Vec<String> {
            body["notes"].as_array().expect("notes").iter().filter_map(|n| n["text"].as_str().map(str::to_owned)).collect()
        };
        let as_max = server.get(&t.max_token, &format!("/api/v1/one-on-ones/{meeting}")).await;
        assert_eq!(texts(&as_max.body), ["Eve seems tired", "We agreed on a mentor"]);
        for token in [&t.eve_token, &t.dana_token, &server.admin] {
            let seen = server.get(token, &format!("/api/v1/one-on-ones/{meeting}")).await;
            assert_eq!(texts(&seen.body), ["We agreed on a mentor"]);
        }
        // Nor does the audit log hold the private text.
        let audit = server.get(&server.admin, &format!("/api/v1/audit?person={}", t.eve)).await;
        assert!(!audit.body.to_string().contains("seems tired"), "{}", audit.body);
        assert!(audit.body.to_string().contains("one_on_one.note_added"));

        let actions = format!("/api/v1/one-on-ones/{meeting}/actions");
        let outsider = server.post(&t.max_token, &actions, json!({"text": "x", "owner": t.dana, "due": days_ago(0)})).await;
        assert_eq!((outsider.status, outsider.code()), (StatusCode::UNPROCESSABLE_ENTITY, "owner_not_in_pair"));
        let item = server.post(&t.max_token, &actions, json!({"text": "Pick a mentor", "owner": t.eve, "due": days_ago(1)})).await;
        assert_eq!(item.status, StatusCode::CREATED, "{}", item.body);
        assert_eq!(item.body["overdue"], true);
        let held = server.post(&t.eve_token, &format!("/api/v1/one-on-ones/{meeting}/hold"), json!({})).await;
        let next = held.body["next"]["id"].as_i64().expect("next");
        let open = server.get(&t.eve_token, &format!("/api/v1/one-on-ones/{next}")).await;
        assert_eq!(open.body["open_actions"][0]["text"], "Pick a mentor");
        let done = server.put(&t.eve_token, &format!("/api/v1/one-on-ones/actions/{}", item.body["id"]), json!({"done": true})).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let open = server.get(&t.eve_token, &format!("/api/v1/one-on-ones/{next}")).await;
        assert_eq!(open.body["open_actions"].as_array().map(Vec::len), Some(0));
    }
}

both_backends! {
    async fn bad_input_gets_a_clear_error_and_changes_nothing(server) {
        let t = team(&server).await;
        let path = format!("/api/v1/people/{}/one-on-ones/schedule", t.eve);
        let cases = [
            (json!({"cadence": "daily", "first_date": "2027-01-04", "time": "10:00", "time_zone": "UTC"}), "invalid_cadence"),
            (json!({"cadence": "weekly", "first_date": "2027-01-04", "time": "10:00", "time_zone": "Mars/Base"}), "unknown_time_zone"),
            (json!({"cadence": "weekly", "first_date": "2027-01-04", "time": "25:00", "time_zone": "UTC"}), "invalid_time"),
            (json!({"cadence": "weekly", "first_date": "2027-01-04", "time": "10:00", "time_zone": "UTC", "minutes": 1}), "invalid_duration"),
            (json!({"cadence": "weekly", "first_date": "2027-01-04", "time": "10:00", "time_zone": "UTC", "extra": 1}), "invalid_field"),
        ];
        for (body, code) in cases {
            let answer = server.put(&t.max_token, &path, body).await;
            assert_eq!((answer.status, answer.code()), (StatusCode::BAD_REQUEST, code), "{}", answer.body);
        }
        let none = server.get(&t.max_token, &format!("/api/v1/people/{}/one-on-ones", t.eve)).await;
        assert!(none.body["schedule"].is_null());
        assert_eq!(none.body["overdue"], true);
        let top = server.put(&server.admin, &format!("/api/v1/people/{}/one-on-ones/schedule", t.dana),
            json!({"cadence": "weekly", "first_date": "2027-01-04", "time": "10:00", "time_zone": "UTC"})).await;
        assert_eq!((top.status, top.code()), (StatusCode::UNPROCESSABLE_ENTITY, "no_manager"));

        let meeting = schedule(&server, &t).await;
        let blank = server.post(&t.eve_token, &format!("/api/v1/one-on-ones/{meeting}/agenda"), json!({"text": " \n "})).await;
        assert_eq!((blank.status, blank.code()), (StatusCode::BAD_REQUEST, "text_blank"));
        let long = server.post(&t.eve_token, &format!("/api/v1/one-on-ones/{meeting}/agenda"), json!({"text": "x".repeat(501)})).await;
        assert_eq!((long.status, long.code()), (StatusCode::BAD_REQUEST, "text_too_long"));
        let detail = server.get(&t.eve_token, &format!("/api/v1/one-on-ones/{meeting}")).await;
        assert_eq!(detail.body["agenda"].as_array().map(Vec::len), Some(0));
        assert_eq!(server.get(&t.eve_token, "/api/v1/one-on-ones/999999").await.status, StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn the_manager_overview_flags_overdue_reports(server) {
        let t = team(&server).await;
        let zoe = server.hire("Zoe", "software-engineer", Some(t.max)).await;
        let meeting = schedule(&server, &t).await;
        let view = server.get(&t.max_token, &format!("/api/v1/people/{}/one-on-ones/reports", t.max)).await;
        assert_eq!(view.status, StatusCode::OK, "{}", view.body);
        let rows = view.body["reports"].as_array().expect("reports").clone();
        assert_eq!(rows.len(), 2);
        // Eve's schedule started two weeks ago with nothing held; Zoe has none.
        assert_eq!((rows[0]["report"].as_i64(), rows[0]["overdue"].as_bool()), (Some(t.eve), Some(true)));
        assert_eq!((rows[1]["report"].as_i64(), rows[1]["overdue"].as_bool()), (Some(zoe), Some(true)));
        assert!(rows[1]["cadence"].is_null());
        server.post(&t.max_token, &format!("/api/v1/one-on-ones/{meeting}/hold"), json!({})).await;
        let view = server.get(&t.max_token, &format!("/api/v1/people/{}/one-on-ones/reports", t.max)).await;
        assert_eq!(view.body["reports"][0]["overdue"], false);
        assert!(view.body["reports"][0]["last_held"].is_string());
        assert!(view.body["reports"][0]["next"].is_string());
        let peer = server.get(&t.eve_token, &format!("/api/v1/people/{}/one-on-ones/reports", t.max)).await;
        assert_eq!(peer.status, StatusCode::FORBIDDEN);
    }
}

both_backends! {
    async fn the_schedule_moves_with_the_report_to_their_new_manager(server) {
        let t = team(&server).await;
        let meeting = schedule(&server, &t).await;
        server.post(&t.eve_token, &format!("/api/v1/one-on-ones/{meeting}/agenda"), json!({"text": "Growth"})).await;
        let moved = server.put(&server.admin, &format!("/api/v1/people/{}/manager", t.eve), json!({"manager": t.dana})).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        // The new manager takes the schedule over, with its open agenda.
        let now = server.get(&t.dana_token, &format!("/api/v1/people/{}/one-on-ones", t.eve)).await;
        assert_eq!(now.body["manager"], t.dana);
        assert_eq!(now.body["schedule"]["cadence"], "weekly");
        assert_eq!(now.body["next"]["id"], meeting);
        let add = server.post(&t.dana_token, &format!("/api/v1/one-on-ones/{meeting}/agenda"), json!({"text": "Welcome"})).await;
        assert_eq!(add.status, StatusCode::CREATED);
        let held = server.post(&t.dana_token, &format!("/api/v1/one-on-ones/{meeting}/hold"), json!({})).await;
        assert_eq!(held.status, StatusCode::OK);
        let detail = server.get(&t.dana_token, &format!("/api/v1/one-on-ones/{meeting}")).await;
        assert_eq!(detail.body["meeting"]["held_with"], t.dana);
        // The previous manager no longer sees or takes part.
        assert_eq!(server.get(&t.max_token, &format!("/api/v1/people/{}/one-on-ones", t.eve)).await.status, StatusCode::FORBIDDEN);
        let next = held.body["next"]["id"].as_i64().expect("next");
        assert_eq!(server.post(&t.max_token, &format!("/api/v1/one-on-ones/{next}/agenda"), json!({"text": "x"})).await.status, StatusCode::FORBIDDEN);
    }
}

both_backends! {
    async fn the_calendar_feed_is_valid_icalendar_behind_a_revocable_secret_link(server) {
        let t = team(&server).await;
        let meeting = schedule(&server, &t).await;
        server.post(&t.eve_token, &format!("/api/v1/one-on-ones/{meeting}/agenda"), json!({"text": "Budget; travel, and \\ more"})).await;
        let other = server.post(&t.max_token, &format!("/api/v1/people/{}/calendar-feed", t.eve), json!({})).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        let made = server.post(&t.eve_token, &format!("/api/v1/people/{}/calendar-feed", t.eve), json!({})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let path = made.body["path"].as_str().expect("path").to_owned();

        let response = server.client.get(server.url(&path)).send().await.expect("answered");
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()[reqwest::header::CONTENT_TYPE].to_str().expect("ascii").starts_with("text/calendar"));
        let text = response.text().await.expect("body");
        for line in text.split("\r\n") {
            assert!(line.len() <= 75 && !line.contains('\n'), "{line:?}");
        }
        let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
        let calendar = parser.next().expect("a calendar").expect("parses");
        assert_eq!(calendar.events.len(), 12, "the next meeting and 11 more");
        let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
            e.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone())
        };
        let first = &calendar.events[0];
        assert_eq!(prop(first, "SUMMARY").as_deref(), Some("One-on-one: Max / Eve"));
        assert!(prop(first, "DTSTART").expect("start").ends_with('Z'));
        assert!(prop(first, "UID").expect("uid").ends_with("@climb"));
        assert!(prop(first, "DTSTAMP").is_some());
        assert!(prop(first, "DESCRIPTION").expect("agenda").contains("Budget\\; travel\\, and \\\\ more"));
        // The manager's feed holds the same meetings.
        let max_feed = server.post(&t.max_token, &format!("/api/v1/people/{}/calendar-feed", t.max), json!({})).await;
        let max_text = server.client.get(server.url(max_feed.body["path"].as_str().expect("path"))).send().await.expect("answered").text().await.expect("body");
        assert_eq!(max_text.matches("BEGIN:VEVENT").count(), 12);

        // A new link revokes the old one; revoking leaves none.
        let again = server.post(&t.eve_token, &format!("/api/v1/people/{}/calendar-feed", t.eve), json!({})).await;
        let new_path = again.body["path"].as_str().expect("path").to_owned();
        assert_eq!(server.send(Method::GET, None, &path, None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(server.send(Method::GET, None, &new_path, None).await.status, StatusCode::OK);
        let revoked = server.delete(&t.eve_token, &format!("/api/v1/people/{}/calendar-feed", t.eve)).await;
        assert_eq!(revoked.status, StatusCode::NO_CONTENT);
        let gone = server.send(Method::GET, None, &new_path, None).await;
        assert_eq!((gone.status, gone.code()), (StatusCode::NOT_FOUND, "not_found"));
    }
}

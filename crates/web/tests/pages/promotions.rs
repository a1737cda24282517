//! Growth plans and promotion proposals through the pages: who may draft,
//! see and decide, refused forms that keep what was typed (422), an
//! approval that changes the role with the proposal linked in the history,
//! and goals added and marked done.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{Site, csrf_of, session_of};

/// Every competency `role` expects, with an evidence text naming it.
fn evidence(role: &str) -> Vec<(String, String)> {
    climb_framework::builtin()
        .role(role)
        .expect("role")
        .expectations
        .iter()
        .map(|e| {
            (
                format!("evidence-{}", e.competency),
                format!("Showed {} on the billing rewrite", e.competency),
            )
        })
        .collect()
}

/// The draft form's fields: the target, the CSRF token and `evidence`.
fn draft_form<'a>(
    csrf: &'a str,
    to: &'a str,
    evidence: &'a [(String, String)],
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![("csrf", csrf), ("to_role", to)];
    form.extend(evidence.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    form
}

fn proposal_id(location: &str) -> i64 {
    location
        .strip_prefix("/promotions/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a proposal's address, not {location:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_drafts_a_proposal_and_their_manager_approves_it_with_the_role_changing() {
    let site = Site::start().await;
    site.give_login(site.director).await;
    let peer = site
        .hire_with_login(
            "Pat Peer",
            "peer@example.com",
            "senior-software-engineer",
            Some(site.manager),
        )
        .await;
    let manager = site.login("manager@example.com").await;
    let engineer = site.login("engineer@example.com").await;
    let director = site.login("director@example.com").await;
    let peer_session = site.login("peer@example.com").await;
    let person_path = format!("/people/{}", site.engineer);

    // The manager's view of the report offers a draft; nobody else's does.
    let page = site.get(Some(&manager), &person_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"id="propose""#), "{}", page.body);
    for who in [&engineer, &director] {
        let page = site.get(Some(who), &person_path).await;
        assert!(!page.body.contains(r#"id="propose""#));
    }

    // An IC may not draft, for a peer or for themselves.
    let new = format!("/people/{}/promotions/new", site.engineer);
    assert_eq!(
        site.get(Some(&peer_session), &new).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        site.get(Some(&engineer), &new).await.status,
        StatusCode::FORBIDDEN
    );
    let token = csrf_of(&site.get(Some(&peer_session), "/promotions").await.body);
    let senior = evidence("senior-software-engineer");
    let by_peer = site
        .post_form(
            Some(&peer_session),
            &format!("/people/{}/promotions", site.engineer),
            &draft_form(&token, "senior-software-engineer", &senior),
        )
        .await;
    assert_eq!(by_peer.status, StatusCode::FORBIDDEN);

    // The form lists the next roles and, once one is chosen, its expectations.
    let form = site.get(Some(&manager), &new).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body
            .contains(r#"<option value="senior-software-engineer">"#),
        "{}",
        form.body
    );
    assert!(!form.body.contains(r#"value="cto""#));
    let chosen = site
        .get(
            Some(&manager),
            &format!("{new}?to=senior-software-engineer"),
        )
        .await;
    for (field, _) in &senior {
        assert!(
            chosen.body.contains(&format!(r#"name="{field}""#)),
            "{field}"
        );
    }

    // Refusals of the domain, with everything typed kept.
    let token = csrf_of(&form.body);
    let post = format!("/people/{}/promotions", site.engineer);
    for (to, says) in [
        ("cto", "hire-only"),
        ("principal-software-engineer", "no such transition"),
    ] {
        let refused = site
            .post_form(Some(&manager), &post, &draft_form(&token, to, &senior))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{to}");
        assert!(refused.body.contains(says), "{to}: {}", refused.body);
        assert!(refused.body.contains(r#"role="alert""#), "{}", refused.body);
    }
    let partial = &senior[..1];
    let missing = site
        .post_form(
            Some(&manager),
            &post,
            &draft_form(&token, "senior-software-engineer", partial),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.body.contains("Evidence is missing for"),
        "{}",
        missing.body
    );
    assert!(
        missing.body.contains(&partial[0].1),
        "the typed evidence is kept"
    );

    // Drafted.
    let drafted = site
        .post_form(
            Some(&manager),
            &post,
            &draft_form(&token, "senior-software-engineer", &senior),
        )
        .await;
    assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
    let id = proposal_id(&drafted.location());
    let path = format!("/promotions/{id}");

    // Lists: the manager drafted it, the director decides it, HR sees it open.
    let list = site.get(Some(&manager), "/promotions").await;
    assert!(list.body.contains(&format!(r#"data-proposal="{id}""#)));
    assert!(list.body.contains("Drafted by you"));
    let list = site.get(Some(&director), "/promotions").await;
    let awaiting = list.body.split(r#"id="awaiting""#).nth(1).unwrap_or("");
    assert!(
        awaiting.contains(&format!(r#"data-proposal="{id}""#)),
        "{}",
        list.body
    );
    // The engineer reads the proposal about them (as on their own page),
    // in the list of what they may see and nowhere else.
    let list = site.get(Some(&engineer), "/promotions").await;
    let (before, seen) = list
        .body
        .split_once(r#"id="all-proposals""#)
        .expect("the proposals the engineer may see");
    assert!(!before.contains(&format!(r#"data-proposal="{id}""#)));
    assert!(seen.contains(&format!(r#"data-proposal="{id}""#)), "{seen}");
    // An engineer decides and drafts nothing: no empty sections, a pointer
    // to their own page instead.
    assert!(
        !list.body.contains("Awaiting your decision"),
        "{}",
        list.body
    );
    assert!(!list.body.contains("Drafted by you"), "{}", list.body);
    assert!(
        list.body
            .contains(&format!(r#"href="/people/{}""#, site.engineer)),
        "{}",
        list.body
    );

    // The proposal page: the person sees it, a peer does not.
    let seen = site.get(Some(&engineer), &path).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.contains("Showed delivery on the billing rewrite"));
    assert!(!seen.body.contains(r#"id="approve""#));
    assert_eq!(
        site.get(Some(&peer_session), &path).await.status,
        StatusCode::FORBIDDEN
    );
    let seen = site.get(Some(&director), &path).await;
    assert!(seen.body.contains(r#"id="approve""#), "{}", seen.body);
    // The decider sees where the person stands: time in role, their latest
    // review and the target's expectations against their levels.
    let context = seen.body.split(r#"id="context""#).nth(1).unwrap_or("");
    assert!(
        context.contains("In Software Engineer for"),
        "{}",
        seen.body
    );
    assert!(
        context.contains("No review yet.") || context.contains("Latest review"),
        "{context}"
    );
    assert!(
        context.contains("<th scope=\"col\">Expected</th>"),
        "{context}"
    );
    assert!(
        !site
            .get(Some(&manager), &path)
            .await
            .body
            .contains(r#"id="approve""#)
    );

    // Neither a peer, the person nor the proposer may decide.
    let decision = format!("{path}/decision");
    let approve = |token: &str| {
        vec![
            ("csrf", token.to_owned()),
            ("decision", "approve".to_owned()),
            ("comment", "Ready".to_owned()),
        ]
    };
    for (who, expected) in [
        (&peer_session, StatusCode::FORBIDDEN),
        (&engineer, StatusCode::FORBIDDEN),
        (&manager, StatusCode::FORBIDDEN),
    ] {
        let token = csrf_of(&site.get(Some(who), "/promotions").await.body);
        let form = approve(&token);
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let answer = site.post_form(Some(who), &decision, &fields).await;
        assert_eq!(answer.status, expected);
    }

    // A rejection needs a comment; the date typed is kept.
    let token = csrf_of(&seen.body);
    let refused = site
        .post_form(
            Some(&director),
            &decision,
            &[
                ("csrf", token.as_str()),
                ("decision", "reject"),
                ("comment", "  "),
                ("effective_date", "2031-02-03"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("A rejection needs a comment"));
    assert!(refused.body.contains(r#"value="2031-02-03""#));

    let approved = site
        .post_form(
            Some(&director),
            &decision,
            &[
                ("csrf", token.as_str()),
                ("decision", "approve"),
                ("comment", "Well earned <3"),
                ("effective_date", ""),
            ],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    assert_eq!(approved.location(), path);
    let after = site.get(Some(&director), &path).await;
    assert!(
        after.body.contains(r#"id="status">approved"#),
        "{}",
        after.body
    );
    assert!(after.body.contains("Well earned "), "{}", after.body);
    assert!(
        !after.body.contains("Well earned <3"),
        "the comment is escaped"
    );
    assert!(!after.body.contains(r#"id="approve""#));
    let again = site
        .post_form(
            Some(&director),
            &decision,
            &[("csrf", token.as_str()), ("decision", "approve")],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already approved"), "{}", again.body);

    // The person now holds the new role, and the history links the proposal.
    let person = site.get(Some(&engineer), &person_path).await;
    let head = person
        .body
        .split(r#"class="person-head"#)
        .nth(1)
        .and_then(|rest| rest.split("</header>").next())
        .unwrap_or("");
    assert!(head.contains("Senior Software Engineer"), "{head}");
    assert!(
        person.body.contains(&format!(r#"href="/promotions/{id}""#)),
        "{}",
        person.body
    );
    let _ = peer;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_growth_plan_shows_gaps_in_level_names_and_goals_are_added_and_done() {
    let site = Site::start().await;
    site.give_login(site.director).await;
    let framework = climb_framework::builtin();
    let manager = site.login("manager@example.com").await;
    let engineer = site.login("engineer@example.com").await;
    let director = site.login("director@example.com").await;
    let peer = site
        .hire_with_login(
            "Pat Peer",
            "peer@example.com",
            "software-engineer",
            Some(site.manager),
        )
        .await;
    let peer_session = site.login("peer@example.com").await;
    let person_path = format!("/people/{}", site.engineer);

    // Without a signed review: the next role's expectations.
    let page = site.get(Some(&engineer), &person_path).await;
    assert!(page.body.contains(r#"id="growth""#), "{}", page.body);
    assert!(page.body.contains(r#"id="no-review""#));
    assert!(
        page.body
            .contains(r#"href="/roles/senior-software-engineer""#)
    );
    // A peer sees the directory entry, not the plan.
    let page = site.get(Some(&peer_session), &person_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(r#"id="growth""#));

    // A review signed by both: gaps against the manager's assessment.
    site.open_cycle_below_manager("2026 H1", "2026-01-01", "2026-06-30")
        .await;
    let (_, reviews) = site
        .api(
            Method::GET,
            session_of(&engineer),
            &format!("/api/v1/people/{}/reviews", site.engineer),
            None,
        )
        .await;
    let review = reviews["reviews"][0]["id"].as_i64().expect("a review");
    let own = framework.role("software-engineer").expect("role");
    let levels: serde_json::Map<String, Value> = own
        .expectations
        .iter()
        .map(|e| {
            (
                e.competency.to_string(),
                json!({"level": e.level, "evidence": "seen"}),
            )
        })
        .collect();
    let path = format!("/api/v1/reviews/{review}");
    for (who, body) in [
        (&engineer, json!({"competencies": levels})),
        (
            &manager,
            json!({"competencies": levels, "rating": "meets_expectations"}),
        ),
    ] {
        let (status, body) = site
            .api(
                Method::PUT,
                session_of(who),
                &format!("{path}/assessment"),
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    for who in [&engineer, &manager] {
        let (status, body) = site
            .api(
                Method::POST,
                session_of(who),
                &format!("{path}/sign"),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let senior = framework.role("senior-software-engineer").expect("role");
    let (competency, now, expected) = senior
        .expectations
        .iter()
        .find_map(|e| {
            let now = own.expectation(&e.competency).unwrap_or(0);
            (now < e.level && now > 0).then(|| (e.competency.clone(), now, e.level))
        })
        .expect("a competency senior engineers need more of");
    let levels = &framework
        .competency(competency.as_str())
        .expect("competency")
        .levels;
    let page = site.get(Some(&manager), &person_path).await;
    assert!(!page.body.contains(r#"id="no-review""#));
    let step = page
        .body
        .split(r#"data-role="senior-software-engineer""#)
        .nth(1)
        .and_then(|rest| rest.split("</article>").next())
        .expect("the senior step");
    assert!(step.contains(&levels[now as usize - 1]), "{step}");
    assert!(step.contains(&levels[expected as usize - 1]), "{step}");
    assert!(step.contains(&format!("+{}", expected - now)), "{step}");

    // Goals: the person and their manager, nobody else; a bad date is kept.
    let goals = format!("/people/{}/goals", site.engineer);
    let token = csrf_of(&page.body);
    let refused = site
        .post_form(
            Some(&manager),
            &goals,
            &[
                ("csrf", token.as_str()),
                ("text", "Lead the incident review"),
                ("competency", "leadership"),
                ("target_date", "next spring"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("must be a date"), "{}", refused.body);
    assert!(refused.body.contains(r#"value="Lead the incident review""#));
    assert!(refused.body.contains(r#"value="leadership" selected"#));
    let blank = site
        .post_form(
            Some(&manager),
            &goals,
            &[("csrf", token.as_str()), ("text", "   ")],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains("A goal needs a text"), "{}", blank.body);

    let added = site
        .post_form(
            Some(&manager),
            &goals,
            &[
                ("csrf", token.as_str()),
                ("text", "Lead the incident review"),
                ("competency", "leadership"),
                ("target_date", "2030-06-30"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    for (who, expected) in [
        (&director, StatusCode::FORBIDDEN),
        (&peer_session, StatusCode::FORBIDDEN),
    ] {
        let token = csrf_of(&site.get(Some(who), "/promotions").await.body);
        let answer = site
            .post_form(
                Some(who),
                &goals,
                &[("csrf", token.as_str()), ("text", "Not mine to set")],
            )
            .await;
        assert_eq!(answer.status, expected);
    }
    let page = site.get(Some(&engineer), &person_path).await;
    let goal = page
        .body
        .split(r#"data-goal=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a goal")
        .to_owned();
    assert!(page.body.contains("Lead the incident review"));
    assert!(page.body.contains("by 2030-06-30"));
    assert!(!page.body.contains("Not mine to set"));
    let token = csrf_of(&page.body);
    let done = site
        .post_form(
            Some(&engineer),
            &format!("{goals}/{goal}/done"),
            &[("csrf", token.as_str())],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = site.get(Some(&manager), &person_path).await;
    assert!(page.body.contains(r#"class="goal done""#), "{}", page.body);
    assert!(page.body.contains("(0 open)"));
    let twice = site
        .post_form(
            Some(&engineer),
            &format!("{goals}/{goal}/done"),
            &[("csrf", token.as_str())],
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    let _ = peer;
}

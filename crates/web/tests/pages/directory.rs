//! The directory pages and sorts every match, never a dead end, and gives
//! the same selection as CSV.

use reqwest::StatusCode;

use crate::harness::Site;

/// The names in the directory's table, in order.
fn names(body: &str) -> Vec<String> {
    body.split("<td><a href=\"/people/")
        .skip(1)
        .filter_map(|cell| cell.split('>').nth(1)?.split('<').next().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_pages_sorts_and_downloads_every_match() {
    let site = Site::start().await;
    // 60 engineers hired in reverse order of their names.
    for i in (0..60).rev() {
        site.hire_with_login(
            &format!("Zed {i:02}"),
            &format!("zed{i:02}@example.com"),
            "software-engineer",
            Some(site.manager),
        )
        .await;
    }
    let session = site.login("engineer@example.com").await;
    let first = site.get(Some(&session), "/people?q=zed").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.body.contains("People 1 to 50 of 60"),
        "{}",
        first.body
    );
    let shown = names(&first.body);
    let expected: Vec<String> = (0..50).map(|i| format!("Zed {i:02}")).collect();
    assert_eq!(shown, expected, "the first page is the first 50 by name");
    assert!(first.body.contains("Page 1 of 2"));

    let second = site
        .get(Some(&session), "/people?q=zed&sort=name&page=2")
        .await;
    assert!(
        second.body.contains("People 51 to 60 of 60"),
        "{}",
        second.body
    );
    let expected: Vec<String> = (50..60).map(|i| format!("Zed {i:02}")).collect();
    assert_eq!(names(&second.body), expected);
    assert!(second.body.contains(r#"rel="prev""#) && !second.body.contains(r#"rel="next""#));
    // A page past the end shows the last one.
    let past = site.get(Some(&session), "/people?q=zed&page=99").await;
    assert_eq!(names(&past.body), expected);

    // Most senior first: the manager (and the director) before engineers.
    let by_role = site.get(Some(&session), "/people?sort=role").await;
    let order = names(&by_role.body);
    let director = order
        .iter()
        .position(|n| n == "Dana Director")
        .expect("the director");
    let engineer = order
        .iter()
        .position(|n| n.starts_with("Zed"))
        .expect("an engineer");
    assert!(director < engineer, "{order:?}");
    assert!(by_role.body.contains(r#"aria-sort="descending""#));

    // The orders follow every change at once: a hire sorts in by name, a
    // promotion moves up the role order, a leaver drops out.
    let early = site
        .hire_with_login(
            "Aaron Early",
            "aaron@example.com",
            "software-engineer",
            Some(site.manager),
        )
        .await;
    let by_name = names(&site.get(Some(&session), "/people").await.body);
    assert_eq!(by_name.first().map(String::as_str), Some("Aaron Early"));
    let (status, body) = site
        .api_post(
            &site.admin,
            &format!("/api/v1/people/{early}/role-changes"),
            serde_json::json!({"to_role": "senior-software-engineer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let by_role = names(&site.get(Some(&session), "/people?sort=role").await.body);
    let promoted = by_role.iter().position(|n| n == "Aaron Early");
    let engineer = by_role.iter().position(|n| n.starts_with("Zed"));
    assert!(promoted < engineer, "{by_role:?}");
    let (status, body) = site
        .api_post(
            &site.admin,
            &format!("/api/v1/people/{early}/leave"),
            serde_json::json!({}),
        )
        .await;
    assert!(status.is_success(), "{status} {body}");
    let by_name = names(&site.get(Some(&session), "/people").await.body);
    assert!(!by_name.iter().any(|n| n == "Aaron Early"), "{by_name:?}");

    let csv = site
        .get(Some(&session), "/people.csv?q=zed&sort=name")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "name,email,role,stream,manager,manager_email");
    assert_eq!(lines.len(), 61, "a header and every match, not one page");
    assert_eq!(
        lines[1],
        "Zed 00,zed00@example.com,Software Engineer,Engineering,Grace Manager,manager@example.com"
    );
}
